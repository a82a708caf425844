"""Settlements from CSV: checked, placed in their admin unit, updated by p-code."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kafo.geo.models import Settlement
from kafo.geo.settlements import SettlementError, import_settlements
from tests.conftest import shared_data

HEADER = '"featureNam","pcode","longitude","latitude","population"\n'


def test_settlements_import_and_update(tmp_path, demo_geography):
    path = tmp_path / "s.csv"
    path.write_text(HEADER + '"Sévaré","ML0501001",-4.1,14.52,40000\n'
                    '"Ailleurs","ML9999001",2.5,45.0,NA\n', encoding="utf-8")  # fmt: skip
    report = import_settlements(path)
    assert (report.created, report.outside) == (2, 1)
    sevare = Settlement.objects.get(pcode="ML0501001")
    assert sevare.admin_unit.pcode.startswith("ML05") and sevare.population == 40000
    path.write_text(HEADER + '"Sévaré-Mopti","ML0501001",-4.1,14.52,41000\n', encoding="utf-8")
    assert import_settlements(path).updated == 1
    assert Settlement.objects.get(pcode="ML0501001").name == "Sévaré-Mopti"


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, demo_geography):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + '"A","ML1",-4.1,140,1\n"B","",1,1,1\n"C","ML2",x,1,-5\n')
    with pytest.raises(SettlementError) as caught:
        import_settlements(path)
    rows = {(row, column) for row, column, _v, _r in caught.value.problems}
    assert {(2, "latitude"), (3, "pcode"), (4, "longitude"), (4, "population")} <= rows
    assert not Settlement.objects.exists()
    with pytest.raises(CommandError, match="latitude"):
        call_command("import_settlements", str(path))


@pytest.mark.realdata
def test_the_real_settlements_of_mali(demo_geography):
    report = import_settlements(shared_data("mali-cod-ab-2015/settlements.csv"))
    assert report.created == 18_769


def test_the_file_s_own_p_code_places_a_settlement_and_a_point_elsewhere_is_flagged(
    tmp_path, demo_geography
):
    path = tmp_path / "s.csv"
    # Its p-code says the cercle of Gao; its point lies in Mopti.
    path.write_text('"featureNam","pcode","admin2Pcod","longitude","latitude"\n'
                    '"Hombori","ML0701001","ML0701",-4.1,14.52\n', encoding="utf-8")  # fmt: skip
    report = import_settlements(path)
    assert (report.disagree, report.other_region) == (1, 1)
    settlement = Settlement.objects.get()
    assert settlement.admin_unit.pcode == "ML0701"
    assert settlement.point_admin_unit.pcode.startswith("ML05")


@pytest.mark.realdata
@pytest.mark.django_db
def test_the_real_settlements_keep_the_file_s_communes():
    import csv

    from kafo.geo.importing import import_boundaries

    assert import_boundaries(shared_data("mali-cod-ab-2015"), "2015").ok
    path = shared_data("mali-cod-ab-2015/settlements.csv")
    report = import_settlements(path)
    with path.open(encoding="utf-8-sig") as stream:
        in_file = {row["pcode"]: row["admin3Pcod"] for row in csv.DictReader(stream)}
    stored = dict(Settlement.objects.values_list("pcode", "admin_unit__pcode"))
    assert stored == in_file
    flagged = Settlement.objects.exclude(point_admin_unit=None).count()
    assert flagged == report.disagree
    assert (report.disagree, report.other_region) == (1799, 146)  # as the audit counted
