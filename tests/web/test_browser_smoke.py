"""A person's first minute: open Kafo in a real browser, log in, see the map drawn.

Drives Debian's Chromium through Playwright's Python API (no browser download).
"""

import os

import pytest

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, url: str, username: str) -> None:
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-42")
    page.click("button.primary")
    page.wait_for_url(url + "/")


def test_a_user_logs_in_and_sees_the_map_drawn(
    live_server, user_with_role, demo_geography, browser_page
):
    # browser_page comes last: the database fixtures run before Playwright's context opens.
    user_with_role(Role.PARTNER_EDITOR, username="awa")
    page = browser_page
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "awa")
    page.fill("#id_password", "secret-pass-42")
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")
    page.wait_for_selector("#home-map[data-ready='1']", timeout=20_000)
    # Leaflet drew the nine regions of the demo as vector paths.
    assert page.get_attribute("#home-map", "data-features") == "9"
    assert page.locator("#home-map path.leaflet-interactive, #home-map canvas").count() >= 1
    assert page.locator(".demo-banner").is_visible()
    # Switching to cercles redraws the map with fifty units.
    page.click("[data-map-level='2']")
    # (a selector, not wait_for_function: the CSP forbids the eval that it uses)
    page.wait_for_selector("#home-map[data-features='50']", timeout=20_000)
    if os.environ.get("KAFO_SCREENSHOT"):
        page.screenshot(path=os.environ["KAFO_SCREENSHOT"], full_page=True)
    assert page.errors == []


def test_a_coordinator_sets_up_the_second_factor_and_nothing_breaks_the_csp(
    live_server, coordinator, demo_geography, browser_page
):
    from base64 import b32decode

    from django_otp.oath import totp

    page = browser_page
    page.goto(live_server.url + "/")
    page.fill("#id_username", coordinator.username)
    page.fill("#id_password", "secret-pass-42")
    page.click("button.primary")
    # A coordinator cannot go further without enrolling an authenticator application.
    page.wait_for_selector("figure.qr svg")
    assert "/accounts/second-factor/setup/" in page.url
    # Do what the authenticator application does with the key shown under the QR code
    # (no database access here: it would run in Playwright's context).
    key = b32decode(page.inner_text("code.secret").replace(" ", ""))
    page.fill("#id_code", f"{totp(key):06d}")
    page.click("button.primary")
    # Only a verified user reaches the map.
    page.wait_for_selector("#home-map[data-ready='1']", timeout=20_000)
    # Chromium reports every CSP violation as a console error.
    assert page.errors == []


def test_a_partner_sees_hazards_on_the_map_without_a_csp_error(
    live_server, mine_action, user_with_role, browser_page
):
    editor = user_with_role(Role.PARTNER_EDITOR, username="moussa")
    mine_action.hazard(editor)
    mine_action.accident(editor)
    page = browser_page
    _log_in(page, live_server.url, "moussa")
    for kind in ("hazard", "accident"):  # polygons, points
        page.goto(f"{live_server.url}/mineaction/{kind}/")
        page.wait_for_selector("#record-map[data-ready='1']", timeout=20_000)
        assert page.get_attribute("#record-map", "data-features") == "1"
    page.goto(f"{live_server.url}/response/")  # the 5W overview: activities and resources
    page.wait_for_selector("#overview-map[data-ready='1']", timeout=20_000)
    assert page.errors == []


def test_a_single_accident_is_framed_over_its_boundaries_with_its_downloads(
    live_server, mine_action, user_with_role, browser_page
):
    editor = user_with_role(Role.PARTNER_EDITOR, username="fanta")
    accident = mine_action.accident(editor)
    page = browser_page
    _log_in(page, live_server.url, "fanta")
    page.goto(f"{live_server.url}/mineaction/accident/{accident.reference}/")
    page.wait_for_selector("#record-map[data-ready='1']", timeout=20_000)
    zoom = float(page.get_attribute("#record-map", "data-zoom"))
    assert 5 <= zoom <= 11  # one point: a sensible zoom, not Infinity
    # Drawn over its unit and the neighbouring units (the parts of the unit's parent).
    unit = accident.admin_unit
    around = AdminUnit.objects.filter(parent=unit.parent) if unit.parent_id else [unit]
    page.wait_for_selector(f"#record-map[data-boundaries='{len(around)}']", timeout=20_000)
    links = page.locator(".map-downloads a")
    assert links.count() == 2
    assert "download=gpkg" in links.nth(1).get_attribute("href")
    assert page.errors == []
