"""With no link, in Chromium with Kafo's service worker: a page read before shows
read-only with its banner; a page with personal data is not kept for a role that may
not keep it; an alert filled offline is sent once when the link returns; logging out
empties the device. (The lost answer is in test_browser_outbox_lost_answer.py.)"""

import pytest
from django.urls import reverse

from tests.web.conftest import log_in, wait_for_service_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _editor_of(focal_point):
    from django.contrib.auth import get_user_model

    from kafo.actors.models import Membership, Role

    user = get_user_model().objects.create_user("awa.terrain", password="secret-pass-42")
    Membership.objects.create(user=user, organisation=focal_point.organisation,
                              role=Role.PARTNER_EDITOR)  # fmt: skip
    return user


def _fill_alert(page, description: str) -> None:
    form = page.locator("form[data-outbox][action$='/alert/']")
    for name in ("kind", "channel"):
        form.locator(f"select[name={name}]").select_option(index=1)
    form.locator("textarea[name=description]").fill(description)
    form.locator("button[type=submit]").click()


def test_reading_and_reporting_with_no_link(served, demo_loaded, chromium, settings):
    from kafo.actors.models import Role
    from kafo.communities.models import Alert, FocalPoint

    focal_point = FocalPoint.objects.filter(active=True).order_by("pk").first()
    _editor_of(focal_point)
    context = log_in(chromium, served, "awa.terrain", "secret-pass-42")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(served + reverse("home"))
    wait_for_service_worker(page)
    situation = served + reverse("situation")
    focal = served + reverse("communities:focal_point", args=[focal_point.pk])
    page.goto(situation)
    page.goto(focal)  # names and phones: not kept for a partner by default

    context.set_offline(True)
    page.goto(situation)
    assert page.locator("[data-offline-banner]").is_visible()
    assert page.locator("time[data-fetched]").inner_text().strip()
    page.goto(focal)
    assert page.locator("main h1").inner_text() == "Hors ligne"

    # A role allowed to keep personal data offline keeps the focal point's page.
    settings.KAFO_OFFLINE_PERSONAL_DATA_ROLES = [Role.PARTNER_EDITOR]
    context.set_offline(False)
    page.goto(focal)
    context.set_offline(True)
    page.goto(focal)
    assert page.locator("[data-offline-banner]").is_visible()

    before = Alert.objects.count()
    _fill_alert(page, "Engin vu près du puits, signalé hors ligne")
    page.wait_for_selector("#outbox[data-waiting='1']", timeout=30_000)
    assert Alert.objects.count() == before
    context.set_offline(False)  # the "online" event sends what waits
    page.wait_for_selector("#outbox[data-waiting='0']", timeout=30_000)
    assert Alert.objects.count() == before + 1
    assert Alert.objects.filter(description__contains="signalé hors ligne").count() == 1

    page.click("form[data-logout] button")
    page.wait_for_url("**/accounts/login/**", timeout=10_000)
    context.set_offline(True)
    with pytest.raises(Exception, match=r"ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
        page.goto(situation)
    assert page.errors == []
    context.close()
