"""Submissions pulled from ODK Central through pyodk (a local server answering as
Central's API does) become submitted field reports, exactly once; the OData pages are
followed to the end; an incremental pull asks from before its cursor, by submission or
update time; an edit keeps its `__id` and is taken or flagged as on KoBo; a deletion is
flagged by the reconcile; the outcome is written back as the review state; attachments
are listed and fetched; a failing server keeps nothing and keeps its cursor."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from kafo.actors.models import Role
from kafo.intake import xlsforms
from kafo.intake.kobo import IntakeError
from kafo.intake.models import Attachment, IntakeSource, Submission, SubmissionStatus
from kafo.intake.pull import OVERLAP, pull, reconcile
from kafo.mineaction import reports
from kafo.mineaction.models import FieldReport
from tests.intake.conftest import PASSWORD_ENV, USER_ENV
from tests.intake.odk_server import submission_time


@pytest.fixture
def source(odk_source, demo_geography):
    return odk_source("accident", "kafo_accident", "EOD Mopti (ODK)")


@pytest.fixture
def version(source):
    return xlsforms.written("accident").version


def _accident(n: int, version: str, edits: int = 0, **changes) -> dict:
    """An OData row of Kafo's accident form as Central gives it: groups nested, the
    geopoint as GeoJSON, `__system` beside the answers."""
    row = {
        "__id": f"uuid:o{n}", "start": "2024-05-01T09:00:00.000Z", "deviceid": "d",
        "date_of_information": "2024-05-02", "source": "Équipe EOD Mopti",
        "where": {"region": "ML05", "cercle": "ML0501", "pcode": "ML0501",
                  "location": {"type": "Point", "coordinates": [-4.2, 14.5, 301],
                               "properties": {"accuracy": 5}}},
        "date": "2024-05-01", "device_category": "improvised_mine",
        "accident_type": "civilian", "activity_at_time": "travelling_vehicle",
        "area_marked": "no", "narrative": f"Accident {n}", "kafo_version": version,
        "meta": {"instanceID": f"uuid:o{n}"},
        "__system": {"submissionDate": submission_time(n), "updatedAt": None,
                     "submitterId": "5", "submitterName": "Équipe 1", "attachmentsPresent": 0,
                     "attachmentsExpected": 0, "status": None, "reviewState": None,
                     "deviceId": None, "edits": edits, "formVersion": version},
    }  # fmt: skip
    for key, value in changes.items():
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value
    return row


def _edited(n: int, version: str, suffix: str = "bis", **changes) -> dict:
    row = _accident(n, version, edits=1, **changes)
    row["meta"] = {"instanceID": f"uuid:o{n}-{suffix}", "deprecatedID": f"uuid:o{n}"}
    row["__system"]["updatedAt"] = submission_time(20)
    return row


def test_a_submission_becomes_a_submitted_field_report_once(odk, source, version):
    odk.submissions = [_accident(1, version)]
    counts = pull(source)
    assert counts == {"pulled": 1, "created": 1, "updated": 0, "flagged": 0, "rejected": 0,
                      "errors": []}  # fmt: skip
    report = FieldReport.objects.get()
    assert report.kind == "accident" and report.status == "submitted"
    assert report.organisation == source.organisation
    assert report.source.startswith(f"odk:{odk.project}/{odk.form}:uuid:o1")
    assert (report.data["longitude"], report.data["latitude"]) == (-4.2, 14.5)
    (submission,) = Submission.objects.all()
    assert submission.raw == odk.submissions[0]  # kept as pulled
    assert submission.submitted_at == datetime.datetime(2024, 5, 1, 10, tzinfo=datetime.UTC)
    for full in (False, True):
        assert pull(source, full=full)["created"] == 0
    assert Submission.objects.count() == 1 and FieldReport.objects.count() == 1
    assert odk.logins == 1  # the session token is kept between pulls


def test_the_pages_are_followed_to_the_end(odk, source, version):
    odk.page_cap = 2
    odk.submissions = [_accident(n, version) for n in range(1, 6)]
    assert pull(source)["created"] == 5
    asked = odk.feed_requests()
    assert [q.get("$skiptoken", "0") for q in asked] == ["0", "2", "4"]
    assert asked[0]["$expand"] == "*" and asked[0]["$top"] == "1000"


def test_an_incremental_pull_asks_from_before_its_cursor(odk, source, version):
    odk.submissions = [_accident(3, version)]
    pull(source)
    source.refresh_from_db()
    assert source.cursor == datetime.datetime(2024, 5, 3, 10, tzinfo=datetime.UTC)
    odk.submissions.append(_accident(4, version))
    assert pull(source)["created"] == 1
    where = odk.feed_requests()[-1]["$filter"]
    since = (source.cursor.replace(day=3) - OVERLAP).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert where == f"__system/submissionDate ge {since} or __system/updatedAt ge {since}"


def test_an_edit_keeps_its_id_and_is_taken_or_flagged(odk, source, version, user_with_role):
    odk.submissions = [_accident(1, version), _accident(2, version)]
    pull(source)
    first, second = FieldReport.objects.order_by("pk")
    reports.verify(second, user_with_role(Role.PARTNER_EDITOR, source.organisation))
    odk.submissions = [_edited(1, version, narrative="Corrigé sur Central"),
                       _edited(2, version, narrative="Corrigé aussi")]  # fmt: skip
    counts = pull(source)  # found by its update time
    assert (counts["updated"], counts["flagged"]) == (1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.data["narrative"] == "Corrigé sur Central"  # nobody had worked on it
    assert second.data["narrative"] == "Accident 2"  # verified: never written over
    flagged = Submission.objects.get(root_uuid="uuid:o2")
    assert flagged.status == SubmissionStatus.FLAGGED and "uuid:o2-bis" in flagged.reasons[0]
    source.refresh_from_db()
    assert source.cursor == datetime.datetime(2024, 5, 20, 10, tzinfo=datetime.UTC)


def test_a_reconcile_flags_what_was_deleted(odk, source, version):
    odk.submissions = [_accident(5, version), _accident(6, version)]
    pull(source)
    odk.submissions.append(_accident(1, version))  # committed late: before the overlap
    assert pull(source)["created"] == 0
    del odk.submissions[0]  # deleted on Central: gone from the feed
    counts = reconcile(source)
    assert (counts["created"], counts["flagged"]) == (1, 1)
    deleted = Submission.objects.get(root_uuid="uuid:o5")
    assert deleted.status == SubmissionStatus.FLAGGED and "Supprimée" in deleted.reasons[-1]
    assert FieldReport.objects.count() == 3


@pytest.mark.parametrize("failure", ["login", 403, 429, 500, "malformed", "unreachable",
                                     "no-password"])  # fmt: skip
def test_a_failing_server_keeps_nothing_and_its_cursor(odk, source, version, failure,
                                                       monkeypatch):  # fmt: skip
    odk.submissions = [_accident(1, version)]
    if failure == "login":
        odk.password = "changed"
    elif failure == "malformed":
        odk.malformed = True
    elif failure == "unreachable":
        IntakeSource.objects.filter(pk=source.pk).update(url="http://127.0.0.1:9")
        source.refresh_from_db()
    elif failure == "no-password":
        monkeypatch.delenv(PASSWORD_ENV)
    else:
        odk.fail_with = failure
    with pytest.raises(IntakeError) as failed:
        pull(source)
    source.refresh_from_db()
    assert source.cursor is None and source.last_error == str(failed.value)
    assert not Submission.objects.exists() and not FieldReport.objects.exists()
    words = {"login": "refusés", 403: "403", 429: "attendre", 500: "500", "malformed": "JSON",
             "unreachable": "ne répond pas", "no-password": PASSWORD_ENV}  # fmt: skip
    assert words[failure] in str(failed.value)


def test_the_outcome_is_written_back_as_the_review_state(
    odk, source, version, user_with_role, coordinator, django_capture_on_commit_callbacks
):
    odk.submissions = [_accident(1, version), _accident(2, version)]
    pull(source)
    editor = user_with_role(Role.PARTNER_EDITOR, source.organisation)
    first, second = FieldReport.objects.order_by("pk")
    for report in (first, second):
        reports.verify(report, editor)
        reports.accept(report, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        reports.validate(first, coordinator)
        reports.reject(second, coordinator, "Doublon")
    assert odk.review == {"uuid:o1": "approved", "uuid:o2": "rejected"}


def test_attachments_are_listed_and_fetched(odk, source, version, tmp_path,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    row = _accident(1, version)
    row["__system"]["attachmentsPresent"] = 1
    odk.submissions = [row]
    odk.files = {("uuid:o1", "1717000000.jpg"): b"a photo"}
    with django_capture_on_commit_callbacks(execute=True):
        pull(source)
    (attachment,) = Attachment.objects.all()
    assert attachment.filename == "1717000000.jpg" and attachment.mimetype == "image/jpeg"
    assert (tmp_path / "intake" / attachment.small_path).read_bytes() == b"a photo"


def test_the_command_line_adds_an_odk_source(odk, demo_geography, organisation, monkeypatch,
                                            settings, tmp_path):  # fmt: skip
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv(USER_ENV, odk.email)
    monkeypatch.setenv(PASSWORD_ENV, odk.password)
    organisation("HI")
    out = io.StringIO()
    call_command("intake", "add", "odk", "--url", odk.url, "--project", str(odk.project),
                 "--form", odk.form, "--user-env", USER_ENV, "--password-env", PASSWORD_ENV,
                 "--organisation", "HI", "--kind", "accident", "--json", stdout=out)  # fmt: skip
    source = IntakeSource.objects.get(pk=json.loads(out.getvalue())["id"])
    assert (source.platform, source.name) == ("odk", f"odk-{odk.project}-{odk.form}")
    assert (source.project_id, source.form_id, source.user_env) == (1, odk.form, USER_ENV)
    odk.submissions = [_accident(1, xlsforms.written("accident").version)]
    out = io.StringIO()
    call_command("intake", "pull", source.name, "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] == 1
    with pytest.raises(CommandError, match="déjà"):
        call_command("intake", "add", "odk", "--url", odk.url, "--project", "1", "--form",
                     odk.form, "--user-env", "U", "--password-env", "P", "--organisation",
                     "HI", "--kind", "accident")  # fmt: skip
