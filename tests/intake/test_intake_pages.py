"""The field intake page: each source with its last pull, its error and its submissions
by outcome; a submission that did not become a field report is shown with its reasons,
and its organisation's editors or the coordination try it again or dismiss it."""

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.intake import xlsforms
from kafo.intake.models import FormVersion, IntakeSource, Submission, SubmissionStatus
from kafo.intake.pull import pull
from kafo.mineaction.models import FieldReport
from tests.intake.kobo_server import KoboServer
from tests.intake.test_kobo_pull import TOKEN_ENV, _accident

SOURCES = reverse("intake:sources")


@pytest.fixture
def pulled(demo_geography, organisation, monkeypatch):
    kobo = KoboServer()
    monkeypatch.setenv(TOKEN_ENV, kobo.token)
    hi = organisation("HI")
    source = IntakeSource.objects.create(name="EOD Mopti", platform="kobo", url=kobo.url,
                                         asset_uid=kobo.asset, token_env=TOKEN_ENV,
                                         organisation=hi, kind="accident")  # fmt: skip
    version = xlsforms.build("accident").version  # built, not yet given out
    kobo.submissions = [_accident(1, version)]
    pull(source)
    yield source, version
    kobo.close()


def test_it_checks_access(client, pulled, user_with_role, organisation):
    response = client.get(SOURCES)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(user_with_role(Role.PARTNER_VIEWER, pulled[0].organisation))
    assert client.get(SOURCES).status_code == 403
    client.force_login(user_with_role(Role.PARTNER_EDITOR, organisation("DRC"), "drc"))
    page = client.get(SOURCES).content.decode()
    assert "EOD Mopti" not in page  # another organisation's source
    submission = Submission.objects.get()
    assert client.get(reverse("intake:submission", args=[submission.pk])).status_code == 404


def test_the_page_shows_the_sources_and_what_waits(client, pulled, user_with_role,
                                                  organisation):  # fmt: skip
    source, version = pulled
    IntakeSource.objects.filter(pk=source.pk).update(last_error="le serveur a échoué (500)")
    client.force_login(user_with_role(Role.PARTNER_EDITOR, source.organisation))
    page = client.get(SOURCES).content.decode()
    assert "EOD Mopti" in page and "le serveur a échoué (500)" in page
    submission = Submission.objects.get()
    assert reverse("intake:submission", args=[submission.pk]) in page
    detail = client.get(reverse("intake:submission", args=[submission.pk])).content.decode()
    assert version in detail and "Réessayer" in detail and "improvised_mine" in detail


def test_a_submission_tried_again_becomes_a_field_report(client, pulled, user_with_role,
                                                         organisation):  # fmt: skip
    source, version = pulled
    client.force_login(user_with_role(Role.PARTNER_EDITOR, source.organisation))
    submission = Submission.objects.get()
    action = reverse("intake:submission_action", args=[submission.pk, "retry"])
    client.post(action)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED and not FieldReport.objects.exists()
    FormVersion.objects.create(kind="accident", form_id="kafo_accident", version=version)
    client.post(action)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REPORTED and submission.reasons == []
    report = FieldReport.objects.get()
    assert (
        submission.field_report == report.reference and report.organisation == source.organisation
    )


def test_a_dismissed_submission_no_longer_waits(client, pulled, user_with_role, organisation):
    client.force_login(user_with_role(Role.COORDINATOR, organisation("CNLPAL")))
    submission = Submission.objects.get()
    client.post(reverse("intake:submission_action", args=[submission.pk, "dismiss"]))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DISMISSED
    assert reverse("intake:submission", args=[submission.pk]) not in \
        client.get(SOURCES).content.decode()  # fmt: skip


def test_the_imports_page_lists_the_sources(client, pulled, user_with_role, organisation):
    source, _version = pulled
    IntakeSource.objects.filter(pk=source.pk).update(last_error="le serveur a échoué (500)")
    client.force_login(user_with_role(Role.PARTNER_EDITOR, source.organisation))
    page = client.get(reverse("interop:batches")).content.decode()
    assert "EOD Mopti" in page and "KoBoToolbox" in page and "le serveur a échoué (500)" in page
    client.force_login(user_with_role(Role.PARTNER_EDITOR, organisation("DRC"), "drc"))
    assert "EOD Mopti" not in client.get(reverse("interop:batches")).content.decode()
