import pytest

from kafo.response.catalogue import UnknownCode, resolve_activity_type, resolve_sector


@pytest.mark.parametrize(
    ("text", "code"),
    [("PRO-MIN", "PRO-MIN"), ("pro-min", "PRO-MIN"), ("Lutte antimines", "PRO-MIN"),
     ("Mine action", "PRO-MIN"), ("Eau, hygiène et assainissement", "WSH"), ("WASH", "WSH"),
     ("EHA", "WSH"), ("Santé", "HEA"), ("securite alimentaire", "FSC")],
)  # fmt: skip
def test_sectors_resolve_from_codes_labels_and_aliases(text, code):
    assert resolve_sector(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("EORE", "EORE"), ("Éducation aux risques", "EORE"), ("Dépollution", "CLR"),
     ("NEDEX", "EOD"), ("Victim assistance services", "VA"), ("ssd", "SSD")],
)  # fmt: skip
def test_activity_types_resolve(text, code):
    assert resolve_activity_type(text) == code


def test_an_unknown_code_lists_the_valid_ones():
    with pytest.raises(UnknownCode) as error:
        resolve_sector("Déminage humanitaire X")
    assert "PRO-MIN" in str(error.value) and "WSH" in str(error.value)
    assert "Déminage humanitaire X" in str(error.value)


def test_an_import_mapping_makes_a_name_known():
    assert resolve_sector("Secteur 7", mapping={"Secteur 7": "EDU"}) == "EDU"
