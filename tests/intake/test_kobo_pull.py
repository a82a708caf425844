"""Submissions pulled from KoBoToolbox (a local server answering as its v2 API does)
become submitted field reports of the source's organisation, exactly once however many
times they are pulled; the pages are followed to the end; what does not map is kept with
its reasons; an edit at the source is flagged, never written over; a failing server
keeps nothing and keeps the cursor."""

import datetime
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely.geometry
from django.core.management import CommandError, call_command
from django.urls import reverse

from kafo.actors.models import Role
from kafo.intake import xlsforms
from kafo.intake.kobo import IntakeError
from kafo.intake.models import Attachment, IntakeSource, Submission, SubmissionStatus
from kafo.intake.pull import OVERLAP, pull
from kafo.mineaction import reports
from kafo.mineaction.forms import AccidentForm
from kafo.mineaction.models import FieldReport
from tests.intake.kobo_server import KoboServer

TOKEN_ENV = "KAFO_TEST_KOBO_TOKEN"


@pytest.fixture
def kobo():
    server = KoboServer()
    yield server
    server.close()


@pytest.fixture
def source(kobo, demo_geography, organisation, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, kobo.token)
    return IntakeSource.objects.create(
        name="EOD Mopti", platform="kobo", url=kobo.url, asset_uid=kobo.asset,
        token_env=TOKEN_ENV, organisation=organisation("HI"), kind="accident",
    )  # fmt: skip


def _accident(n: int, version: str, **changes) -> dict:
    raw = {
        "_id": n, "_uuid": f"u{n}", "meta/instanceID": f"uuid:u{n}", "formhub/uuid": "f",
        "_submission_time": f"2024-05-{n:02d}T10:00:00", "__version__": "vKoBo",
        "kafo_version": version, "start": "2024-05-01T09:00:00.000Z", "deviceid": "d",
        "date_of_information": "2024-05-02", "source": "Équipe EOD Mopti",
        "where/region": "ML05", "where/cercle": "ML0501", "where/pcode": "ML0501",
        "where/location": "14.5 -4.2 301 5", "date": "2024-05-01",
        "device_category": "improvised_mine", "accident_type": "civilian",
        "activity_at_time": "travelling_vehicle", "area_marked": "no",
        "narrative": f"Accident {n}",
    }  # fmt: skip
    raw.update(changes)
    return {k: v for k, v in raw.items() if v is not None}


@pytest.fixture
def version(source):
    return xlsforms.written("accident").version


def test_a_submission_becomes_a_submitted_field_report_once(kobo, source, version):
    kobo.submissions = [_accident(1, version)]
    counts = pull(source)
    assert counts == {"pulled": 1, "created": 1, "updated": 0, "flagged": 0, "rejected": 0,
                      "errors": []}  # fmt: skip
    report = FieldReport.objects.get()
    assert report.kind == "accident" and report.status == "submitted"
    assert report.organisation == source.organisation and report.submitted_by is None
    assert report.source.startswith(f"kobo:{kobo.asset}:uuid:u1")
    assert report.date_of_information == datetime.date(2024, 5, 2)
    # The same values typed on the web make the same report.
    web = AccidentForm(data={"date": "2024-05-01", "longitude": -4.2, "latitude": 14.5,
                             "device_category": "improvised_mine", "accident_type": "civilian",
                             "activity_at_time": "travelling_vehicle", "area_marked": "no",
                             "narrative": "Accident 1", "claimed_pcode": "ML0501"})  # fmt: skip
    assert web.is_valid(), web.errors
    assert report.data == reports.reported_values(web)
    for full in (False, True):  # pulled again, incrementally and whole: kept once
        assert pull(source, full=full)["created"] == 0
    assert Submission.objects.count() == 1 and FieldReport.objects.count() == 1


def test_the_pages_are_followed_to_the_end(kobo, source, version):
    kobo.page_cap = 2  # the server gives less than asked
    kobo.submissions = [_accident(n, version) for n in range(1, 6)]
    assert pull(source)["created"] == 5
    starts = [parse_qs(urlsplit(r).query)["start"][0] for r in kobo.requests]
    assert starts == ["0", "2", "4"]
    assert FieldReport.objects.count() == 5


def test_an_incremental_pull_asks_from_before_its_cursor(kobo, source, version):
    kobo.submissions = [_accident(3, version)]
    pull(source)
    source.refresh_from_db()
    assert source.cursor == datetime.datetime(2024, 5, 3, 10, tzinfo=datetime.UTC)
    kobo.submissions.append(_accident(4, version))
    assert pull(source)["created"] == 1
    query = json.loads(parse_qs(urlsplit(kobo.requests[-1]).query)["query"][0])
    since = datetime.datetime.fromisoformat(query["_submission_time"]["$gte"])
    assert since == source.cursor.replace(day=3) - OVERLAP


def test_what_does_not_map_is_kept_with_its_reasons(kobo, source, version):
    kobo.submissions = [
        _accident(1, version, **{"where/location": "48.8 2.3 0 0"}),  # Paris
        _accident(2, version, date=None),  # a required answer missing
        _accident(3, version, device_category="grenade"),  # not one of Kafo's codes
    ]
    counts = pull(source)
    assert (counts["created"], counts["rejected"]) == (0, 3)
    by_id = {s.remote_id: s for s in Submission.objects.all()}
    assert all(s.status == SubmissionStatus.REJECTED for s in by_id.values())
    assert "hors des limites du pays" in " ".join(by_id["1"].reasons)
    # Each reason names the question by its label, as the team knows it, and its name.
    assert any(r.startswith("Date de l’accident (date):") for r in by_id["2"].reasons)
    assert any("(device_category):" in r for r in by_id["3"].reasons)
    assert not FieldReport.objects.exists()  # nothing half-written
    assert {e["submission"] for e in counts["errors"]} == {"uuid:u1", "uuid:u2", "uuid:u3"}


def test_a_form_kafo_did_not_give_out_is_rejected(kobo, source, version):
    kobo.submissions = [_accident(1, "an-old-form")]
    assert pull(source)["rejected"] == 1
    (submission,) = Submission.objects.all()
    assert "an-old-form" in submission.reasons[0] and not FieldReport.objects.exists()


def test_an_edit_at_the_source_is_flagged_never_written_over(kobo, source, version,
                                                            user_with_role):  # fmt: skip
    kobo.submissions = [_accident(1, version)]
    pull(source)
    report = FieldReport.objects.get()
    reports.verify(report, user_with_role(Role.PARTNER_EDITOR, source.organisation))
    edited = _accident(1, version, narrative="Corrigé", **{"meta/instanceID": "uuid:u1-bis",
                                                          "meta/rootUuid": "uuid:u1"})  # fmt: skip
    kobo.submissions = [edited]
    assert pull(source, full=True)["flagged"] == 1
    (submission,) = Submission.objects.all()
    assert submission.status == SubmissionStatus.FLAGGED and "uuid:u1-bis" in submission.reasons[0]
    assert submission.raw["narrative"] == "Corrigé"  # the edit is kept, raw
    report.refresh_from_db()
    assert report.data["narrative"] == "Accident 1" and FieldReport.objects.count() == 1


@pytest.mark.parametrize("failure", [401, 403, 429, 500, "malformed", "unreachable"])
def test_a_failing_server_keeps_nothing_and_its_cursor(kobo, source, version, failure):
    kobo.submissions = [_accident(1, version)]
    if failure == 401:
        kobo.token = "another"
    elif failure == "malformed":
        kobo.malformed = True
    elif failure == "unreachable":
        IntakeSource.objects.filter(pk=source.pk).update(url="http://127.0.0.1:9")
        source.refresh_from_db()
    else:
        kobo.fail_with = failure
    with pytest.raises(IntakeError) as failed:
        pull(source)
    source.refresh_from_db()
    assert source.cursor is None and source.last_error == str(failed.value)
    assert not Submission.objects.exists() and not FieldReport.objects.exists()
    words = {401: "refusé", 403: "403", 429: "attendre", 500: "500", "malformed": "JSON",
             "unreachable": "ne répond pas"}  # fmt: skip
    assert words[failure] in str(failed.value)


def test_a_hazard_polygon_comes_as_kafos(kobo, source, monkeypatch):
    IntakeSource.objects.filter(pk=source.pk).update(kind="hazard")
    source.refresh_from_db()
    version = xlsforms.written("hazard").version
    ring = "14.45 -4.25 0 0;14.45 -4.24 0 0;14.46 -4.24 0 0;14.46 -4.25 0 0"
    kobo.submissions = [{
        "_id": 1, "_uuid": "h1", "_submission_time": "2024-05-01T10:00:00",
        "kafo_version": version, "date_of_information": "2024-05-01", "where/area": ring,
        "classification": "sha", "evidence_type": "indirect", "evidence": "combat_zone verbal",
        "contamination": "improvised_mine", "blockages": "road farmland", "women": "4",
    }]  # fmt: skip
    assert pull(source)["created"] == 1
    data = FieldReport.objects.get().data
    polygon = shapely.geometry.shape(json.loads(data["geometry"]))
    assert polygon.is_valid and (-4.25, 14.45) in list(polygon.exterior.coords)
    assert data["blockages"] == ["road", "farmland"] and data["women"] == 4


def test_the_command_line(kobo, demo_geography, organisation, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, kobo.token)
    organisation("HI")
    out = io.StringIO()
    call_command("intake", "add", "kobo", "--url", kobo.url, "--asset", kobo.asset,
                 "--token-env", TOKEN_ENV, "--organisation", "hi", "--kind", "accident",
                 "--json", stdout=out)  # fmt: skip
    source_id = json.loads(out.getvalue())["id"]
    kobo.submissions = [_accident(1, xlsforms.written("accident").version),
                        _accident(2, "old")]  # fmt: skip
    out = io.StringIO()
    call_command("intake", "pull", str(source_id), "--json", stdout=out)
    said = json.loads(out.getvalue())
    assert set(said) == {"pulled", "created", "updated", "flagged", "rejected", "errors"}
    assert (said["pulled"], said["created"], said["rejected"]) == (2, 1, 1)
    out = io.StringIO()
    call_command("intake", "list", stdout=out)
    assert f"kobo-{kobo.asset}" in out.getvalue()
    with pytest.raises(CommandError, match="Nobody"):
        call_command("intake", "add", "kobo", "--url", kobo.url, "--asset", "a2", "--token-env",
                     TOKEN_ENV, "--organisation", "Nobody", "--kind", "hazard")  # fmt: skip
    kobo.fail_with = 500
    with pytest.raises(CommandError, match="500"):
        call_command("intake", "pull", "--json", stdout=io.StringIO())


def test_the_periodic_pull_goes_on_past_a_failing_source(kobo, source, version, organisation):
    from kafo.intake.tasks import pull_sources

    IntakeSource.objects.create(name="Down", platform="kobo", url="http://127.0.0.1:9",
                                asset_uid="x", token_env=TOKEN_ENV,
                                organisation=organisation("DRC"), kind="accident")  # fmt: skip
    kobo.submissions = [_accident(1, version)]
    assert pull_sources.call() == {"created": 1, "failed": 1}
    assert IntakeSource.objects.get(name="Down").last_error


def test_a_reconcile_pulls_what_was_missed_and_flags_what_was_deleted(kobo, source, version):
    kobo.submissions = [_accident(5, version), _accident(6, version)]
    pull(source)
    # Committed late, with an earlier time than the cursor's overlap reaches.
    kobo.submissions.append(_accident(1, version, _submission_time="2024-04-01T00:00:00"))
    assert pull(source)["created"] == 0  # the incremental pull misses it
    del kobo.submissions[0]  # deleted at the source
    out = io.StringIO()
    call_command("intake", "reconcile", "--json", stdout=out)
    said = json.loads(out.getvalue())
    assert (said["created"], said["flagged"]) == (1, 1)
    deleted = Submission.objects.get(remote_id="5")
    assert deleted.status == SubmissionStatus.FLAGGED and "Supprimée" in deleted.reasons[-1]
    assert deleted.field_report and FieldReport.objects.count() == 3  # the report stays
    assert json.loads(_reconciled())["flagged"] == 0  # flagged once


def _reconciled() -> str:
    out = io.StringIO()
    call_command("intake", "reconcile", "--json", stdout=out)
    return out.getvalue()


def test_a_webhook_with_the_secret_pulls_at_once(client, kobo, source, version, settings):
    url = f"/api/v1/intake/{source.pk}/"
    kobo.submissions = [_accident(1, version)]
    assert client.post(url, HTTP_X_KAFO_SECRET="s3cret").status_code == 403  # no secret set
    settings.KAFO_INTAKE_WEBHOOK_SECRET = "s3cret"
    assert client.post(url).status_code == 403
    assert client.post(url, HTTP_X_KAFO_SECRET="guess").status_code == 403
    assert client.get(url, HTTP_X_KAFO_SECRET="s3cret").status_code == 405
    assert client.post("/api/v1/intake/999/", HTTP_X_KAFO_SECRET="s3cret").status_code == 404
    assert not FieldReport.objects.exists()
    assert client.post(url, HTTP_X_KAFO_SECRET="s3cret").status_code == 202
    assert FieldReport.objects.count() == 1  # the task ran (at once in the tests)


def test_the_outcome_is_written_back_to_kobo(kobo, source, version, user_with_role,
                                             coordinator,
                                             django_capture_on_commit_callbacks):  # fmt: skip
    kobo.submissions = [_accident(1, version), _accident(2, version)]
    pull(source)
    editor = user_with_role(Role.PARTNER_EDITOR, source.organisation)
    first, second = FieldReport.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        for report in (first, second):
            reports.verify(report, editor)
            reports.accept(report, coordinator)
    assert kobo.validation == {}  # verified and accepted: not final yet
    with django_capture_on_commit_callbacks(execute=True):
        reports.validate(first, coordinator)
        reports.reject(second, coordinator, "Doublon")
    assert kobo.validation == {"1": "validation_status_approved",
                               "2": "validation_status_not_approved"}  # fmt: skip


def test_a_failing_write_back_never_undoes_the_validation(
    kobo, source, version, user_with_role, coordinator, django_capture_on_commit_callbacks
):
    kobo.submissions = [_accident(1, version)]
    pull(source)
    report = FieldReport.objects.get()
    reports.verify(report, user_with_role(Role.PARTNER_EDITOR, source.organisation))
    reports.accept(report, coordinator)
    kobo.fail_with = 500
    with django_capture_on_commit_callbacks(execute=True):
        reports.validate(report, coordinator)
    report.refresh_from_db()
    assert report.status == "validated" and kobo.validation == {}


def _with_a_photo(kobo, version) -> dict:
    kobo.files = {"/media/small/photo.jpg": b"small", "/media/original/photo.jpg": b"full"}
    return _accident(1, version, _attachments=[{
        "download_url": f"{kobo.url}/media/original/photo.jpg",
        "download_small_url": f"{kobo.url}/media/small/photo.jpg",
        "mimetype": "image/jpeg", "filename": "eod/attachments/u1/photo.jpg",
    }])  # fmt: skip


def test_attachments_are_fetched_small_and_full_size_on_demand(
    client, kobo, source, version, settings, tmp_path, user_with_role,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.DATA_DIR = tmp_path
    kobo.submissions = [_with_a_photo(kobo, version)]
    with django_capture_on_commit_callbacks(execute=True):
        pull(source)
    (attachment,) = Attachment.objects.all()
    assert attachment.filename == "photo.jpg" and attachment.small_path
    assert (tmp_path / "intake" / attachment.small_path).read_bytes() == b"small"
    report = FieldReport.objects.get()
    client.force_login(user_with_role(Role.PARTNER_VIEWER, source.organisation))
    page = client.get(reverse("mineaction:report", args=[report.reference])).content.decode()
    url = reverse("intake:attachment", args=[attachment.pk])
    assert url in page  # named in the field report
    assert b"".join(client.get(url).streaming_content) == b"small"
    assert b"".join(client.get(url + "?full=1").streaming_content) == b"full"
    attachment.refresh_from_db()
    assert (tmp_path / "intake" / attachment.full_path).read_bytes() == b"full"


def test_it_checks_access_to_attachments(client, kobo, source, version, settings, tmp_path,
                                         user_with_role, organisation,
                                         django_capture_on_commit_callbacks):  # fmt: skip
    settings.DATA_DIR = tmp_path
    kobo.submissions = [_with_a_photo(kobo, version)]
    with django_capture_on_commit_callbacks(execute=True):
        pull(source)
    url = reverse("intake:attachment", args=[Attachment.objects.get().pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(user_with_role(Role.DONOR_VIEWER, organisation("ECHO")))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.PARTNER_VIEWER, organisation("DRC")))
    assert client.get(url).status_code == 200  # partners read every partner's reports


def _edited(version: str, **changes) -> dict:
    ids = {"meta/instanceID": "uuid:u1-bis", "meta/rootUuid": "uuid:u1"}
    return _accident(1, version, **{**ids, **changes})


def test_an_edit_before_anyone_verified_the_report_is_taken(kobo, source, version):
    kobo.submissions = [_accident(1, version)]
    pull(source)
    kobo.submissions = [_edited(version, narrative="Corrigé sur KoBo")]
    counts = pull(source, full=True)
    assert (counts["updated"], counts["flagged"]) == (1, 0)
    report = FieldReport.objects.get()  # the same report, not a second one
    assert report.data["narrative"] == "Corrigé sur KoBo" and report.status == "submitted"
    (submission,) = Submission.objects.all()
    assert submission.instance_uuid == "uuid:u1-bis" and submission.reasons == []
    kobo.submissions = [_edited(version, date=None, **{"meta/instanceID": "uuid:u1-ter"})]
    assert pull(source, full=True)["flagged"] == 1  # an edit that does not map: flagged
    report.refresh_from_db()
    assert report.data["narrative"] == "Corrigé sur KoBo"


def test_a_rejected_submission_corrected_at_the_source_becomes_a_report(kobo, source, version):
    kobo.submissions = [_accident(1, version, device_category="grenade")]
    assert pull(source)["rejected"] == 1 and not FieldReport.objects.exists()
    kobo.submissions = [_edited(version)]
    assert pull(source, full=True)["updated"] == 1
    (submission,) = Submission.objects.all()
    assert submission.status == SubmissionStatus.REPORTED and submission.reasons == []
    assert FieldReport.objects.get().reference == submission.field_report


def test_the_same_answers_sent_twice_are_one_report(kobo, source, version, coordinator,
                                                    client):  # fmt: skip
    first = _accident(1, version)
    # The same report sent again from the phone: another instance, another time.
    again = {**first, "_id": 2, "_uuid": "u2", "meta/instanceID": "uuid:u2",
             "_submission_time": "2024-05-02T10:00:00",
             "start": "2024-05-02T09:00:00.000Z"}  # fmt: skip
    kobo.submissions = [first, again]
    counts = pull(source)
    assert (counts["created"], counts["rejected"]) == (1, 1)
    twin = Submission.objects.get(root_uuid="uuid:u2")
    assert twin.status == SubmissionStatus.REJECTED and "uuid:u1" in twin.reasons[0]
    assert FieldReport.objects.count() == 1
    # Tried again on purpose, it is a second report.
    client.force_login(coordinator)
    client.post(reverse("intake:submission_action", args=[twin.pk, "retry"]))
    twin.refresh_from_db()
    assert twin.status == SubmissionStatus.REPORTED and FieldReport.objects.count() == 2
