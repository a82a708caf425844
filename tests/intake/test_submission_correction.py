"""A rejected submission's answers are corrected on Kafo's page by its organisation's
editors or the coordination: the corrections are kept beside the submission, which
stays as it came from the field, with who corrected it and when; the corrected answers
are checked as a report typed on the web, and become a field report when they map."""

import pytest
from django.urls import reverse
from lxml import html

from kafo.actors.models import Role
from kafo.intake import xlsforms
from kafo.intake.models import IntakeSource, Submission, SubmissionStatus
from kafo.intake.pull import pull
from kafo.mineaction.models import FieldReport
from tests.intake.kobo_server import KoboServer
from tests.intake.test_kobo_pull import TOKEN_ENV, _accident


@pytest.fixture
def rejected(demo_geography, organisation, monkeypatch):
    kobo = KoboServer()
    monkeypatch.setenv(TOKEN_ENV, kobo.token)
    source = IntakeSource.objects.create(
        name="EOD Mopti", platform="kobo", url=kobo.url, asset_uid=kobo.asset,
        token_env=TOKEN_ENV, organisation=organisation("HI"), kind="accident",
    )  # fmt: skip
    version = xlsforms.written("accident").version
    kobo.submissions = [_accident(1, version, device_category="grenade", date=None)]
    pull(source)
    yield Submission.objects.get()
    kobo.close()


def _fields(page: str) -> dict[str, str]:
    """The correction form's inputs, read from the page's HTML by lxml."""
    tree = html.fromstring(page)
    return {i.get("name"): i.get("value") or "" for i in tree.xpath("//input")
            if (i.get("name") or "").startswith("answer:")}  # fmt: skip


def test_corrected_answers_become_a_field_report(client, rejected, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR, rejected.source.organisation)
    client.force_login(editor)
    page = client.get(reverse("intake:submission", args=[rejected.pk])).content.decode()
    fields = _fields(page)
    assert fields["answer:device_category"] == "grenade" and fields["answer:date"] == ""
    assert fields["answer:pcode"] == "ML0501" and fields["answer:location"] == "14.5 -4.2 301 5"
    action = reverse("intake:submission_action", args=[rejected.pk, "correct"])
    # Half corrected: still rejected, with the reason that remains.
    client.post(action, {**fields, "answer:device_category": "improvised_mine"})
    rejected.refresh_from_db()
    assert rejected.status == SubmissionStatus.REJECTED and not FieldReport.objects.exists()
    assert len(rejected.reasons) == 1 and "(date)" in rejected.reasons[0]
    assert rejected.corrections == {"device_category": "improvised_mine"}
    fields = _fields(client.get(reverse("intake:submission", args=[rejected.pk])).content.decode())
    assert fields["answer:device_category"] == "improvised_mine"  # shown corrected
    client.post(action, {**fields, "answer:date": "2024-05-01"})
    rejected.refresh_from_db()
    assert rejected.status == SubmissionStatus.REPORTED and rejected.reasons == []
    assert rejected.corrected_by == editor and rejected.corrected_at is not None
    assert rejected.raw["device_category"] == "grenade"  # the field's answer, kept
    page = client.get(reverse("intake:submission", args=[rejected.pk])).content.decode()
    table = "//h2[.='Réponses du terrain']/following-sibling::table[1]//tbody/tr"
    rows = {tr.xpath("string(th)"): [td.text_content() for td in tr.xpath("td")]
            for tr in html.fromstring(page).xpath(table)}  # fmt: skip
    assert rows["device_category"] == ["grenade", "improvised_mine"]  # as received, corrected
    assert rows["date"] == ["", "2024-05-01"]  # missing in the field, given on Kafo
    report = FieldReport.objects.get(reference=rejected.field_report)
    assert report.data["device_category"] == "improvised_mine"
    assert report.data["date"] == "2024-05-01" and report.status == "submitted"


def test_a_correction_is_checked_as_on_the_web(client, rejected, coordinator):
    client.force_login(coordinator)
    fields = _fields(client.get(reverse("intake:submission", args=[rejected.pk])).content.decode())
    action = reverse("intake:submission_action", args=[rejected.pk, "correct"])
    client.post(action, {**fields, "answer:device_category": "improvised_mine",
                         "answer:date": "2024-05-01", "answer:location": "Sévaré"})  # fmt: skip
    rejected.refresh_from_db()
    assert rejected.status == SubmissionStatus.REJECTED and not FieldReport.objects.exists()
    assert "lat lon alt" in rejected.reasons[0]  # not a point: said, nothing made


def test_it_checks_access_to_corrections(client, rejected, user_with_role, organisation):
    action = reverse("intake:submission_action", args=[rejected.pk, "correct"])
    answer = {"answer:device_category": "improvised_mine", "answer:date": "2024-05-01"}
    assert client.post(action, answer).status_code == 302  # to the login page
    client.force_login(user_with_role(Role.PARTNER_VIEWER, rejected.source.organisation))
    assert client.post(action, answer).status_code == 403
    client.force_login(user_with_role(Role.PARTNER_EDITOR, organisation("DRC"), "drc"))
    assert client.post(action, answer).status_code == 404  # another organisation's
    rejected.refresh_from_db()
    assert rejected.corrections == {} and rejected.status == SubmissionStatus.REJECTED
