"""Needs and population by admin unit, sector and year; importing again updates."""

import pytest

from kafo.interop.needs import import_needs
from kafo.response.models import Need

HEADER = (
    "Région,Cercle,Secteur,Année,Population,PIN,Ciblés,Source\n"
    "#adm1+name,#adm2+code,#sector,#date+year,#population,#inneed,#targeted,#meta+source\n"
)


@pytest.fixture
def needs_file(tmp_path, demo_geography):
    def write(*rows):
        path = tmp_path / "needs.csv"
        path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
        return path

    return write


def test_figures_by_unit_sector_and_year_import_and_update(needs_file):
    path = needs_file("Mopti,ML0501,Lutte antimines,2025,,\u202f12 000,8000,HNO 2025",
                      "ségou,,Tous,2025,3 100 000,,,INSTAT")  # fmt: skip
    batch = import_needs(path)
    assert (batch.status, batch.created) == ("imported", 2), batch.report()
    mine = Need.objects.get(sector="PRO-MIN")
    assert (mine.admin_unit.pcode, mine.year, mine.in_need, mine.targeted) == (
        "ML0501", 2025, 12000, 8000)  # fmt: skip
    assert Need.objects.get(sector="").population == 3_100_000
    again = import_needs(needs_file("Mopti,ML0501,PRO-MIN,2025,,13000,8000,HNO 2025 rév."))
    assert (again.created, again.updated) == (0, 1)
    assert Need.objects.get(sector="PRO-MIN").in_need == 13000


def test_bad_rows_are_rejected_with_their_column(needs_file):
    batch = import_needs(needs_file("Mopti,ML9999,PRO-MIN,2025,,10,,",
                                    "Mopti,,Cuisine,l'an dernier,,-3,,",
                                    "Mopti,,PRO-MIN,2025,,,,"))  # fmt: skip
    assert batch.status == "rejected" and not Need.objects.exists()
    columns = {(e["row"], e["column"].split(" ")[0]) for e in batch.report()["errors"]}
    assert {(3, "#adm2+code"), (4, "#sector"), (4, "#date+year"), (4, "#inneed")} <= columns
    assert any(e["row"] == 5 and "#population" in e["reason"] for e in batch.report()["errors"])


def test_an_export_imports_back_as_updates(needs_file, tmp_path):
    from django.core.management import call_command

    import_needs(needs_file("Mopti,ML0501,PRO-MIN,2025,,12000,8000,HNO 2025"))
    out = tmp_path / "needs-export.csv"
    call_command("export_hxl", "needs", "-o", str(out), "--audience", "public")
    again = import_needs(out)
    assert (again.status, again.created, again.updated) == ("imported", 0, 1), again.report()
    assert Need.objects.get().in_need == 12000
