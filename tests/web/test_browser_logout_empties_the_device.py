"""Logging out empties the device: a form still waiting in the outbox is not dropped
without an explicit warning (cancelled, nothing is lost); accepted, the outbox and the
pages kept are gone, for the next person on the same device.

Service workers are blocked here: Playwright's routes can miss a request that passes
a service worker (as CI once saw: the form reached the server). The pages the worker
keeps are stood for by a cache this test fills itself."""

import pytest
from django.urls import reverse

from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_logout_warns_then_empties_the_outbox(served, demo_geography, user_with_role, chromium):
    from kafo.actors.models import Role
    from kafo.geo.models import AdminUnit
    from kafo.mineaction.models import FieldReport

    user_with_role(Role.PARTNER_EDITOR, username="awa.terrain")
    pcode = AdminUnit.objects.filter(level=2).order_by("pcode").first().pcode
    context = log_in(chromium, served, "awa.terrain", "secret-pass-42", service_workers="block")
    page = context.new_page()
    page.goto(served + reverse("mineaction:quick_hazard"))
    page.evaluate(
        """() => caches.open("kafo-pages-awa").then(
             (cache) => cache.put("/kept/", new Response("une page gardée")))"""
    )
    assert page.evaluate("() => caches.keys()") == ["kafo-pages-awa"]
    # The link drops every form sent: the indication waits in the outbox.
    context.route("**/reports/indication/", lambda route: route.abort())
    page.fill("input[name=pcode]", pcode)
    page.check("input[name=contamination][value=improvised_mine]")
    page.fill("textarea[name=description]", "Engin vu près du marché")
    page.click("form[data-outbox] button[type=submit]")
    page.wait_for_selector("#outbox[data-waiting='1']", timeout=30_000)

    warnings = []

    def answer(dialog, accept):
        warnings.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.click("form[data-logout] button")
    page.wait_for_timeout(1500)
    assert warnings and "1" in warnings[0]  # how many forms would be lost
    assert "/accounts/login/" not in page.url  # cancelled: still here, the form kept
    assert page.get_attribute("#outbox", "data-waiting") == "1"

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.click("form[data-logout] button")
    page.wait_for_url("**/accounts/login/**", timeout=10_000)
    assert len(warnings) == 2
    context.unroute("**/reports/indication/")

    # The next person on this device finds no outbox and no page kept.
    user_with_role(Role.PARTNER_EDITOR, username="moussa.terrain")
    page.fill("#id_username", "moussa.terrain")
    page.fill("#id_password", "secret-pass-42")
    page.click("button.primary")
    page.wait_for_url(served + reverse("home"))
    page.wait_for_load_state("networkidle")
    assert page.locator("#outbox").get_attribute("hidden") is not None
    assert page.evaluate("() => caches.keys()") == []
    assert not FieldReport.objects.exists()
    context.close()
