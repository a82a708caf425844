"""Every page of the demo, loaded in Chromium with an empty cache as `kafo serve` sends
it: its critical path (the page, its CSS and scripts, the map's first layer), compressed
as sent, weighs at most 170 kB (htmx partials: test_partial_weight.py).

`KAFO_PAGE_WEIGHTS=path` writes the weights measured (the README's table comes from it).
"""

import json
import os

import pytest
from django.urls import reverse

from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_BUDGET = 170_000
CRITICAL = {"document", "stylesheet", "script", "fetch", "xhr"}


def _pages() -> list[str]:
    from kafo.coordination.registry import ANALYSES
    from kafo.mineaction.models import EoreSession, Hazard
    from kafo.response.models import Activity
    from kafo.web.navigation import MENU

    pages = [reverse(link.url_name) for _group, links in MENU for link in links
             if link.url_name != "admin:index"]  # fmt: skip
    hazard = Hazard.objects.order_by("pk").first()
    eore = EoreSession.objects.order_by("pk").first()
    pages += [
        reverse("mineaction:record", args=["hazard", hazard.reference]),
        reverse("mineaction:record", args=["eore", eore.reference]),
        reverse("response:activity", args=[Activity.objects.order_by("pk").first().pk]),
        reverse("mineaction:list", args=["hazard"]),
        reverse(ANALYSES["gaps"].page) + "?level=3",
    ]
    return pages


def _weigh(context, url: str) -> dict:
    page = context.new_page()
    sizes: list[tuple[str, str, int]] = []

    def finished(request):
        response = request.response()
        if response is None or request.resource_type not in CRITICAL:
            return
        measured = request.sizes()
        sizes.append((request.resource_type, request.url,
                      measured["responseBodySize"] + measured["responseHeadersSize"]))  # fmt: skip

    page.on("requestfinished", finished)
    answer = page.goto(url)
    assert answer.status == 200, (url, answer.status)
    page.wait_for_load_state("networkidle")
    if page.locator(".kafo-map").count():
        page.wait_for_selector(".kafo-map[data-ready='1'], .kafo-map[data-ready='error']",
                               timeout=20_000)  # fmt: skip
    page.close()
    return {"url": url, "bytes": sum(size for _kind, _url, size in sizes), "requests": sizes}


def test_every_page_weighs_at_most_170_kb_on_first_load(served, demo_loaded, chromium):
    from base64 import b32decode

    from kafo.actors.demo import DEMO_PASSWORD, demo_second_factor_key

    key = b32decode(demo_second_factor_key().replace(" ", ""))
    pages = _pages()
    logged_in = log_in(chromium, served, "coordination", DEMO_PASSWORD, key)
    state = logged_in.storage_state()
    logged_in.close()
    weights = []
    for path in pages:
        context = chromium.new_context(locale="fr-FR", storage_state=state)  # an empty cache
        weights.append(_weigh(context, served + path))
        context.close()
    if os.environ.get("KAFO_PAGE_WEIGHTS"):
        with open(os.environ["KAFO_PAGE_WEIGHTS"], "w") as out:
            json.dump(weights, out, indent=1)
    heavy = [(w["url"], w["bytes"]) for w in weights if w["bytes"] > PAGE_BUDGET]
    assert not heavy, heavy
    # Measured, not skipped: each page had its HTML, and the map pages their layer.
    assert all(any(kind == "document" for kind, _u, _s in w["requests"]) for w in weights)
    assert any(".geojson" in u for w in weights for _k, u, _s in w["requests"])
