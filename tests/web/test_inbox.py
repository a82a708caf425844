"""Each person's inbox on the home page, and the daily e-mail of the same that a person
may turn off."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kafo.actors.models import Organisation
from kafo.coordination.models import JointPlan, PlanAssignment
from kafo.mineaction.models import FieldReport, ReportStatus
from kafo.response.models import Loan, Resource
from kafo.web.inbox import inbox

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, plus a loan request and a joint plan assignment waiting for HI."""
    with django_db_blocker.unblock():
        call_command("demo")
        hi, drc = Organisation.objects.get(acronym="HI"), Organisation.objects.get(acronym="DRC")
        team = Resource.objects.filter(organisation=hi).first()
        today = timezone.localdate()
        Loan.objects.create(resource=team, borrower=drc, start=today, end=today,
                            purpose="Appui EORE")  # fmt: skip
        plan = JointPlan.objects.create(name="Plan T1", start=today.replace(day=1), months=3,
                                        created_by=Organisation.objects.get(acronym="CNLPAL"),
                                        status="discussed")  # fmt: skip
        PlanAssignment.objects.create(plan=plan, resource=team, organisation=hi, task="T1",
                                      task_type="EORE", admin_unit=team.base, period=0,
                                      month=plan.start, output=1.0, km=0.0)  # fmt: skip
        FieldReport.objects.filter(status=ReportStatus.SUBMITTED).update(organisation=hi)
        for user in User.objects.all():
            user.email = f"{user.username}@example.org"
            user.save()
        yield
        call_command("flush", interactive=False)


def _trays(username):
    return {tray.key: tray for tray in inbox(User.objects.get(username=username)) if tray.count}


def test_an_editor_finds_what_waits_for_their_organisation(demo):
    trays = _trays("editeur.hi")
    assert trays["loans"].count == 1 and "DRC" in trays["loans"].items[0][0]
    assert trays["assignments"].count == 1
    submitted = FieldReport.objects.filter(status=ReportStatus.SUBMITTED).count()
    assert trays["reports"].count == submitted > 0


def test_a_viewer_has_nothing_to_act_on(demo):
    assert set(_trays("lecteur.drc")) <= {"commitments"}


def test_the_coordination_sees_the_steps_that_are_its_own(demo):
    waiting = FieldReport.objects.exclude(status__in=["validated", "rejected"]).count()
    assert _trays("coordination")["reports"].count == waiting


def test_the_home_page_shows_the_inbox_with_links(demo, client):
    client.force_login(User.objects.get(username="editeur.hi"))
    page = client.get(reverse("home")).content.decode()
    assert 'id="inbox-title"' in page
    assert f'href="{reverse("mineaction:reports")}?status=waiting"' in page
    assert f'href="{reverse("plans")}"' in page


def test_notices_are_e_mailed_unless_turned_off(demo, client):
    mail.outbox.clear()
    editor = User.objects.get(username="editeur.hi")
    call_command("send_notices")
    sent_to = {message.to[0] for message in mail.outbox}
    assert editor.email in sent_to and "lecteur.drc@example.org" not in sent_to
    body = next(m.body for m in mail.outbox if m.to == [editor.email])
    assert "/response/plans/" in body and "/accounts/security/" in body
    # The person turns them off on their account page.
    client.force_login(editor)
    client.post(reverse("account_security"), {"action": "notices_off"})
    mail.outbox.clear()
    call_command("send_notices")
    assert editor.email not in {message.to[0] for message in mail.outbox}
    client.post(reverse("account_security"), {"action": "notices_on"})
    editor.membership.refresh_from_db()
    assert editor.membership.email_notices


def test_the_account_page_checks_access(db, plain_client):
    response = plain_client.post(reverse("account_security"), {"action": "notices_off"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_inbox_for_a_user_of_no_organisation_is_empty(db):
    user = User.objects.create_user("seul", password="x-42-pass-word")
    assert inbox(user, datetime.date(2026, 1, 1)) == []


def test_notices_run_again_the_same_day_e_mail_nobody_twice(demo):
    import datetime

    from kafo.web.notices import send_notices

    mail.outbox.clear()
    day = datetime.date(2030, 3, 2)
    first = send_notices(day)
    assert first and len(mail.outbox) == first
    assert send_notices(day) == 0 and len(mail.outbox) == first  # a retry of the task
    assert send_notices(day + datetime.timedelta(days=1)) == first  # the next day's
