from kafo.geo.boundaries import detect_columns


def test_it_reads_the_2015_cod_ab_spelling():
    columns = ["admin0Pcod", "admin1Name", "admin1Pcod", "admin1RefN", "admin1AltN", "admin1Al_1"]
    detected = detect_columns(columns)
    assert detected["pcode"] == {0: "admin0Pcod", 1: "admin1Pcod"}
    assert detected["name"] == {1: "admin1Name"}
    assert set(detected["alt"][1]) == {"admin1RefN", "admin1AltN", "admin1Al_1"}


def test_it_reads_the_current_cod_ab_spelling():
    detected = detect_columns(
        ["ADM0_PCODE", "ADM1_PCODE", "ADM2_PCODE", "ADM2_FR", "ADM2_EN", "ADM2ALT1FR"]
    )
    assert detected["pcode"] == {0: "ADM0_PCODE", 1: "ADM1_PCODE", 2: "ADM2_PCODE"}
    assert detected["name"] == {2: "ADM2_FR"}
    # The English name is kept as another name.
    assert detected["alt"][2] == ["ADM2_EN", "ADM2ALT1FR"]


def test_it_reads_lower_case_spelling():
    detected = detect_columns(["adm3_pcode", "adm3_name", "population"])
    assert detected["pcode"] == {3: "adm3_pcode"}
    assert detected["name"] == {3: "adm3_name"}


def test_it_ignores_other_columns():
    detected = detect_columns(["OBJECTID", "Shape_Leng", "date", "validOn"])
    assert detected == {"pcode": {}, "name": {}, "alt": {}}
