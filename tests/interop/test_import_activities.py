"""A 5W HXL file becomes one batch: all or nothing by default, rejected rows kept with
row, column, value and reason, idempotent by identifier."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from kafo.actors.models import Organisation
from kafo.interop.activities import import_activities
from kafo.interop.models import RejectedRow
from kafo.response.models import Activity
from tests.conftest import shared_data

HEADER = ("Organisation,Secteur,Activité,Code,Région,Cercle,Début,Fin,Filles,Garçons,Remarque\n"
          "#org+impl,#sector,#activity+name,#meta+id,#adm1+name,#adm2+code,#date+start,"
          "#date+end,#reached+f+children,#reached+children+m,\n")  # fmt: skip
GOOD = [
    "Humanité & Inclusion,Lutte antimines,Sessions EER,HI-1,mopti,ML0501,2025-01-06,2025-03-31,"
    "40,35,ok",
    "Danish Refugee Council,Protection,Monitoring,DRC-7,Ségou,,06/01/2025,31/03/2025,,,",
]


@pytest.fixture
def five_w(tmp_path, demo_geography, organisation):
    organisation("HI", name="Humanité & Inclusion")
    organisation("DRC", name="Danish Refugee Council")

    def write(*rows: str):
        path = tmp_path / "5w.csv"
        path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
        return path

    return write


def test_a_clean_file_imports_whole(five_w):
    batch = import_activities(five_w(*GOOD))
    assert (batch.status, batch.accepted, batch.created, batch.rejected) == ("imported", 2, 2, 0)
    hi = Activity.objects.get(source_id="HI-1")
    assert hi.organisation.acronym == "HI" and hi.sector == "PRO-MIN"
    assert [u.pcode for u in hi.locations.all()] == ["ML0501"]  # the cercle, finer than Mopti
    assert (hi.reached_girls, hi.reached_boys) == (40, 35)
    assert Activity.objects.get(source_id="DRC-7").locations.get().pcode == "ML04"  # by name


def test_one_bad_row_stops_the_batch_and_is_kept_with_its_reasons(five_w):
    bad = "HI,Déminage X,Tri,HI-2,Mopti,ML9999,2025-05-01,2025-04-01,-4,3,à revoir"
    batch = import_activities(five_w(*GOOD, bad))
    assert (batch.status, batch.accepted, batch.rejected) == ("rejected", 0, 1)
    assert not Activity.objects.exists()
    [row] = RejectedRow.objects.exclude(errors=[])  # the valid rows are held without reasons
    reasons = {e["column"].split()[0]: e for e in row.errors}
    assert row.row == 5 and row.values["Remarque"] == "à revoir"  # untagged column kept
    assert "PRO-MIN" in reasons["#sector"]["reason"]  # the valid codes are listed
    assert reasons["#adm2+code"]["value"] == "ML9999"
    assert (
        "précède le début" in reasons["#date+end"]["reason"]
        or "before" in reasons["#date+end"]["reason"]
    )
    assert reasons["#reached+children+f"]["value"] == "-4"


def test_accept_valid_imports_the_good_rows_and_keeps_the_others(five_w):
    batch = import_activities(five_w(*GOOD, "HI,Lutte antimines,X,HI-3,,,,,,,"), accept_valid=True)
    assert (batch.status, batch.accepted, batch.rejected) == ("partial", 2, 1)
    assert Activity.objects.count() == 2


def test_importing_again_updates_instead_of_duplicating(five_w):
    import_activities(five_w(*GOOD))
    again = import_activities(five_w(*[GOOD[0].replace(",40,", ",50,"), GOOD[1]]))
    assert (again.created, again.updated) == (0, 2)
    assert (
        Activity.objects.count() == 2 and Activity.objects.get(source_id="HI-1").reached_girls == 50
    )


def test_an_unknown_organisation_is_created_for_review(five_w):
    import_activities(five_w("Association Tassaght,Protection,Appui,T-1,Gao,,,,,,"))
    created = Organisation.objects.get(name="Association Tassaght")
    assert created.needs_review and Activity.objects.get().organisation == created


def test_a_mapping_makes_an_unknown_sector_known(five_w):
    path = five_w("HI,Déminage X,Tri,HI-2,Mopti,,,,,,")
    assert import_activities(path).status == "rejected"
    assert import_activities(path, mapping={"Déminage X": "PRO-MIN"}).status == "imported"


def test_the_command_prints_the_report_with_stable_keys(five_w):
    out = StringIO()
    call_command("import_hxl", str(five_w(*GOOD)), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert {"accepted", "created", "updated", "rejected", "errors"} <= set(report)
    assert report["created"] == 2


def test_an_unreadable_file_is_a_failed_batch(tmp_path, db):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x00")
    batch = import_activities(path)
    assert batch.status == "failed" and "binaire" in batch.file_error


def test_the_real_2014_rowca_3w_imports_what_it_can(demo_geography):
    path = shared_data("hxl/rowca-3w-2014-hxl.csv")
    all_or_nothing = import_activities(path)
    assert all_or_nothing.status == "rejected" and not Activity.objects.exists()
    months = [e for r in all_or_nothing.rejected_rows.all() for e in r.errors
              if e["column"].startswith("#period")]  # fmt: skip
    assert months and "sans son année" in months[0]["reason"]  # "June": of which year?
    batch = import_activities(path, accept_valid=True, year=2014)
    assert batch.accepted > 100 and batch.rejected > 0
    reasons = [e for row in RejectedRow.objects.filter(batch=batch) for e in row.errors]
    senegal = [e for e in reasons if e["value"] == "Senegal"]  # rows of another country
    assert senegal and "une ligne de Senegal, pas des limites actives (MLI)" in senegal[0]["reason"]
    assert {a.locations.first().pcode[:2] for a in Activity.objects.all()} == {"ML"}
    again = import_activities(path, accept_valid=True, year=2014)
    assert again.created == 0 and again.updated == batch.accepted


def test_a_kafo_export_imports_back_as_updates(tmp_path, client, demo_geography, organisation,
                                              user_with_role):  # fmt: skip
    from kafo.actors.models import Role
    from tests.response.conftest import ACTIVITY

    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    client.force_login(editor)
    client.post("/response/activities/new/", ACTIVITY)
    path = tmp_path / "5w.csv"
    call_command("export_hxl", "activities", "-o", str(path), "--audience", "national")
    batch = import_activities(path)
    assert (batch.status, batch.created, batch.updated) == ("imported", 0, 1)
    activity = Activity.objects.get()
    assert sorted(u.pcode for u in activity.locations.all()) == ["ML0501", "ML0504"]
    assert activity.source_id == ""


def test_a_missing_file_is_a_failed_batch_with_its_name(tmp_path, db):
    batch = import_activities(tmp_path / "absent.csv")
    assert batch.status == "failed" and batch.file_error.startswith("aucun fichier")
