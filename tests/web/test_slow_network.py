"""On a 400 kbps link with 400 ms of latency (Chromium's own throttling, through its
DevTools protocol), with an empty cache, the home page, the situation page and a record
page are usable within the budgets below: their heading and content shown, and on a map
page the map drawn."""

import time

import pytest
from django.urls import reverse

from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
        "uploadThroughput": 400_000 / 8}  # fmt: skip
# Seconds until usable. At 50 kB/s the 71 kB of the home page alone take 1.4 s, and each
# round trip (the page, then its files, then the map's layers) 0.4 s more.
BUDGETS = {"home": 8, "situation": 6, "hazard": 8}


def _usable_after(context, url: str, map_page: bool) -> float:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK)
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_selector("main h1", state="visible", timeout=60_000)
    if map_page:
        page.wait_for_selector(".kafo-map[data-ready='1']", timeout=60_000)
    took = time.perf_counter() - started
    page.close()
    return took


def test_pages_are_usable_on_a_slow_link(served, demo_loaded, chromium):
    from kafo.actors.demo import DEMO_PASSWORD
    from kafo.mineaction.models import Hazard

    hazard = Hazard.objects.order_by("pk").first()
    logged_in = log_in(chromium, served, "lecteur.drc", DEMO_PASSWORD)
    state = logged_in.storage_state()
    logged_in.close()
    pages = {
        "home": (reverse("home"), True),
        "situation": (reverse("situation"), False),
        "hazard": (reverse("mineaction:record", args=["hazard", hazard.reference]), True),
    }
    took = {}
    for name, (path, map_page) in pages.items():
        context = chromium.new_context(locale="fr-FR", storage_state=state)
        took[name] = _usable_after(context, served + path, map_page)
        context.close()
    print("usable after", {name: round(t, 2) for name, t in took.items()})
    late = {name: round(t, 1) for name, t in took.items() if t > BUDGETS[name]}
    assert not late, f"usable after (s): {took}, budgets {BUDGETS}"
    # The throttling held: nothing came faster than three round trips of the link.
    assert min(took.values()) > 3 * LINK["latency"] / 1000
