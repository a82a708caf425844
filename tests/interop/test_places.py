"""Rows name admin units by p-code or name: a code and a name must agree, levels must
nest, close spellings are taken and listed to check, another country's rows say so, and a
file of another COD version is recognised and can be read through its codes."""

import pytest

from kafo.geo.models import AdminUnit, CodVersion
from kafo.interop.needs import import_needs
from kafo.response.models import Need

HEADER = "#adm1+name,#adm2+code,#adm2+name,#sector,#date+year,#inneed\n"


@pytest.fixture
def needs_file(tmp_path, demo_geography):
    def write(*rows, header=HEADER):
        path = tmp_path / "needs.csv"
        path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
        return path

    return write


def _errors(batch):
    return [(e["row"], e["value"], e["reason"]) for e in batch.report()["errors"]]


def test_a_code_and_a_name_that_disagree_are_refused_naming_both(needs_file):
    batch = import_needs(needs_file("Kayes,ML0101,Bafoulabe,PRO-MIN,2025,10"))
    assert batch.status == "rejected" and not Need.objects.exists()
    [(row, value, reason)] = _errors(batch)
    assert row == 2 and value == "ML0101 / Bafoulabe"
    assert "ML0101 est Kayes" in reason and "« Bafoulabe »" in reason


def test_a_code_and_a_name_that_agree_in_another_spelling_import(needs_file):
    batch = import_needs(needs_file("KAYES,ML0101,kayès,PRO-MIN,2025,10"))
    assert batch.status == "imported", batch.report()


def test_close_spellings_are_taken_and_listed_to_check(needs_file):
    header = "#adm1+name,#sector,#date+year,#inneed\n"
    batch = import_needs(needs_file("Koulikouro,PRO-MIN,2025,10", "Timbuktu,PRO-MIN,2025,5",
                                    "Segou,PRO-MIN,2025,7", header=header))  # fmt: skip
    assert batch.status == "imported", batch.report()
    placed = {n.admin_unit.pcode: n.in_need for n in Need.objects.all()}
    assert placed == {"ML02": 10, "ML06": 5, "ML04": 7}
    [note] = batch.report()["notes"]
    assert note["count"] == 2  # Ségou is the same name, accents folded: nothing to check
    assert "« Koulikouro » → Koulikoro (ML02)" in note["reason"]
    assert "« Timbuktu » → Tombouctou (ML06)" in note["reason"]


def test_an_unknown_name_suggests_the_closest(needs_file):
    header = "#adm1+name,#sector,#date+year,#inneed\n"
    batch = import_needs(needs_file("Kidall,PRO-MIN,2025,10", header=header))
    assert batch.status == "imported"  # a doubled letter: the same sound
    batch = import_needs(needs_file("Mopito,PRO-MIN,2025,10", header=header))
    [(_row, _value, reason)] = _errors(batch)
    assert "(le plus proche : Mopti (ML05))" in reason


def test_levels_that_do_not_nest_are_refused(needs_file):
    header = "#adm1+name,#adm2+name,#sector,#date+year,#inneed\n"
    batch = import_needs(needs_file("Mopti,Gao,PRO-MIN,2025,10", header=header))
    assert batch.status == "rejected"
    [(_row, value, reason)] = _errors(batch)
    assert value == "Gao" and "Gao" in reason and "pas dans Mopti" in reason


def test_a_name_is_found_within_the_row_s_region(needs_file):
    header = "#adm1+name,#adm2+name,#sector,#date+year,#inneed\n"
    batch = import_needs(needs_file("Mopti,Mopti,PRO-MIN,2025,10", header=header))
    assert batch.status == "imported" and Need.objects.get().admin_unit.pcode == "ML0501"


def test_a_row_of_another_country_says_so(needs_file):
    header = "#country,#adm1+name,#sector,#date+year,#inneed\n"
    batch = import_needs(needs_file("Senegal,Dakar,PRO-MIN,2025,10", "Mali,Mopti,PRO-MIN,2025,3",
                                    header=header))  # fmt: skip
    [(row, value, reason)] = _errors(batch)
    assert (row, value) == (2, "Senegal") and "Senegal" in reason and "MLI" in reason
    code = import_needs(needs_file("Mopti,SN01,,PRO-MIN,2025,10"))
    assert "Senegal" in _errors(code)[0][2]


@pytest.fixture
def version_2021(demo_geography):
    """The 2021 codes of two cercles: ML0101 is Bafoulabé there, Kayes is ML0102."""
    version = CodVersion.objects.create(country="MLI", name="2021")
    kayes = AdminUnit.objects.create(cod_version=version, level=1, pcode="ML01", name="Kayes")
    for pcode, name in [("ML0101", "Bafoulabe"), ("ML0102", "Kayes"), ("ML0199", "Nouveau")]:
        AdminUnit.objects.create(cod_version=version, level=2, pcode=pcode, name=name,
                                 parent=kayes)  # fmt: skip
    return version


def test_the_report_says_which_version_the_file_seems_to_use(needs_file, version_2021):
    batch = import_needs(needs_file("Kayes,ML0101,Bafoulabe,PRO-MIN,2025,10",
                                    "Kayes,ML0102,Kayes,PRO-MIN,2025,5"))  # fmt: skip
    assert batch.status == "rejected"
    [note] = batch.report()["notes"]
    assert "2 des 2 p-codes" in note["reason"] and "--cod-version 2021" in note["reason"]


def test_a_file_of_another_version_imports_through_its_codes(needs_file, version_2021):
    path = needs_file("Kayes,ML0101,Bafoulabe,PRO-MIN,2025,10", "Kayes,ML0102,,PRO-MIN,2025,5")
    batch = import_needs(path, cod_version="2021")
    assert batch.status == "imported", batch.report()
    placed = {n.admin_unit.name: n.in_need for n in Need.objects.all()}
    assert placed == {"Bafoulabé": 10, "Kayes": 5}
    assert {n.admin_unit.cod_version.is_active for n in Need.objects.all()} == {True}
    refused = import_needs(needs_file("Kayes,ML0199,,PRO-MIN,2025,1"), cod_version="2021")
    assert "pas d’unité identique" in _errors(refused)[0][2]


def test_an_unknown_version_fails_the_batch(needs_file):
    batch = import_needs(needs_file("Kayes,ML0101,,PRO-MIN,2025,10"), cod_version="1999")
    assert batch.status == "failed" and "1999" in batch.file_error
