"""A 5W that gives only totals of people keeps them as totals, of unknown sex and age;
a needs table without a date column takes the year it is given."""

import pytest
from django.core.management import call_command

from kafo.interop.activities import import_activities
from kafo.interop.needs import import_needs
from kafo.response.models import Activity, Need


@pytest.fixture
def places(demo_geography, organisation):
    organisation("HI", name="Humanité & Inclusion")


def _file(tmp_path, text, name="5w.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_totals_without_breakdown_are_kept(tmp_path, places):
    path = _file(tmp_path, "#org+impl,#sector,#meta+id,#adm1+name,#targeted,#reached+total\n"
                           "HI,PRO,A,Mopti,1200,950\n")  # fmt: skip
    assert import_activities(path).status == "imported"
    activity = Activity.objects.get()
    assert (activity.people("targeted"), activity.people("reached")) == (1200, 950)
    assert (activity.targeted_unknown, activity.reached_unknown) == (1200, 950)


def test_a_total_beside_its_parts_keeps_the_rest_as_unknown(tmp_path, places):
    path = _file(tmp_path, "#org+impl,#sector,#meta+id,#adm1+name,#reached+f+children,#reached\n"
                           "HI,PRO,A,Mopti,40,100\nHI,PRO,B,Mopti,40,30\n")  # fmt: skip
    batch = import_activities(path)
    assert batch.status == "rejected"  # B's total is less than its parts
    [error] = batch.report()["errors"]
    assert error["row"] == 3 and "inférieur" in error["reason"]
    batch = import_activities(path, accept_valid=True)
    activity = Activity.objects.get()
    assert (activity.reached_girls, activity.reached_unknown, activity.reached_total) == (
        40,
        60,
        100,
    )


def test_totals_go_out_and_come_back(tmp_path, places):
    import_activities(_file(tmp_path, "#org+impl,#sector,#meta+id,#adm1+name,#reached\n"
                                      "HI,PRO,A,Mopti,950\n"))  # fmt: skip
    out = tmp_path / "out.csv"
    call_command("export_hxl", "activities", "-o", str(out), "--audience", "national")
    Activity.objects.all().delete()
    assert import_activities(out).status == "imported"
    assert Activity.objects.get().reached_total == 950


def test_a_needs_table_without_a_date_column(tmp_path, demo_geography):
    path = _file(tmp_path, "#adm1+name,#sector,#inneed\nMopti,PRO-MIN,12000\n", "pin.csv")
    refused = import_needs(path)
    assert refused.status == "rejected" and not Need.objects.exists()
    reason = refused.report()["errors"][0]["reason"]
    assert "#date" in reason and "--year" in reason
    assert import_needs(path, year=2025).status == "imported"
    assert Need.objects.get().year == 2025
