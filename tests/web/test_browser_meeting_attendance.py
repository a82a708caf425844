"""In Chromium, an editor of a working group's co-lead organisation fills the meeting's
attendance list; it is sent through the outbox, and the page then lists the people with
their organisations recognised; a viewer reads the meeting but gets no form."""

import datetime

import pytest
from django.utils import timezone

from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_attendance_list_filled_in_the_browser(served, user_with_role, organisation, chromium):
    from kafo.actors.models import Role
    from kafo.meetings.models import Attendance, CoordinationBody, Meeting

    hi = organisation("HI", name="Humanité & Inclusion", alt_names=["Handicap International"])
    authority = organisation("CNLPAL", kind="national_authority")
    body = CoordinationBody.objects.create(name="GT EREE", kind="working_group", lead=authority)
    body.co_leads.add(hi)
    start = timezone.now() - datetime.timedelta(hours=1)
    meeting = Meeting.objects.create(body=body, title="Réunion de mars", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2))  # fmt: skip
    user_with_role(Role.PARTNER_EDITOR, hi, username="hi.editeur")
    user_with_role(Role.PARTNER_VIEWER, organisation("DRC"), username="drc.lecteur")

    context = log_in(chromium, served, "hi.editeur", "secret-pass-42")
    page = context.new_page()
    page.goto(served + meeting.get_absolute_url())
    page.click("text=Ajouter des personnes")
    form = page.locator("form[data-outbox]")
    form.locator("input[name='people-0-name']").fill("Mariam Sangaré")
    form.locator("input[name='people-0-organisation_name']").fill("Handicap International")
    form.locator("select[name='people-0-sex']").select_option("f")
    form.locator("input[name='people-1-name']").fill("Oumar Touré")
    form.locator("select[name='people-1-sex']").select_option("m")
    form.locator("input[name='people-1-remote']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=2 personnes ajoutées", timeout=30_000)
    rows = page.locator("main table.data").first.inner_text()
    assert "Mariam Sangaré" in rows and "HI" in rows and "à distance" in rows
    mariam = Attendance.objects.get(name="Mariam Sangaré")
    assert mariam.organisation == hi and mariam.organisation_name == "Handicap International"
    assert Attendance.objects.get(name="Oumar Touré").remote is True
    context.close()

    reader = log_in(chromium, served, "drc.lecteur", "secret-pass-42")
    page = reader.new_page()
    page.goto(served + meeting.get_absolute_url())
    assert "Mariam Sangaré" in page.locator("main").inner_text()
    assert page.locator("form[data-outbox]").count() == 0
    reader.close()
