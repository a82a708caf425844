"""In Chromium: the server makes an alert but its answer is lost on the way back; the
outbox keeps the form waiting, sends it again, and the server makes one alert only.

Service workers are blocked here: Playwright's routes can miss a request that passes
a service worker, and the outbox works the same without one."""

import pytest
from django.urls import reverse

from tests.web.conftest import log_in
from tests.web.test_browser_offline import _editor_of, _fill_alert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_alert_whose_answer_was_lost_is_made_once(served, demo_loaded, chromium):
    from kafo.communities.models import Alert, FocalPoint
    from kafo.security.models import OutboxReceipt

    focal_point = FocalPoint.objects.filter(active=True).order_by("pk").first()
    _editor_of(focal_point)
    context = log_in(chromium, served, "awa.terrain", "secret-pass-42", service_workers="block")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    before = Alert.objects.count()
    lost = []

    def lose_the_answer(route):
        route.fetch()  # the server receives the form and makes the alert
        lost.append(route.request.url)
        route.abort()

    page.goto(served + reverse("communities:focal_point", args=[focal_point.pk]))
    context.route("**/alert/", lose_the_answer)
    _fill_alert(page, "Alerte dont la réponse est perdue")
    page.wait_for_selector("#outbox[data-waiting='1']", timeout=30_000)
    assert lost and Alert.objects.count() == before + 1
    context.unroute("**/alert/")
    page.click("[data-outbox-send]")
    page.wait_for_selector("#outbox[data-waiting='0']", timeout=30_000)
    assert Alert.objects.count() == before + 1
    assert Alert.objects.filter(description__contains="réponse est perdue").count() == 1
    assert OutboxReceipt.objects.filter(kind="focal_point").count() == 1
    assert page.errors == []
    context.close()
