"""A coordinator's first hour, in a real browser (Chromium through Playwright): each
role logs in, reaches every page from the menu on a desktop and on a phone, reads each
map, filters by year, is refused politely; an editor imports a 5W with errors and
corrects them on the page, and fills Kafo's own template.

With KAFO_SCREENSHOTS=folder, the pages the README shows are saved there.
"""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from kafo.actors.models import Role
from kafo.response.models import Activity
from tests.web.conftest import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kafo-demo"
SCREENSHOTS = os.environ.get("KAFO_SCREENSHOTS")


def _page(browser, width: int = 1366, height: int = 800):
    return new_page(browser, width, height, statuses=True)


def _log_in(page, url: str, username: str, password: str = PASSWORD, code: str = "") -> None:
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    if code:
        page.wait_for_selector("#id_code")
        page.fill("#id_code", code)
        page.click("button.primary")
    page.wait_for_url(url + "/")


def _menu_links(page) -> list[str]:
    return [link.get_attribute("href") for link in page.locator("#main-menu a").all()]


def _maps_drawn(page, url: str) -> None:
    for element in page.locator(".kafo-map[data-geojson]").all():
        selector = f"#{element.get_attribute('id')}"
        page.wait_for_selector(f"{selector}[data-ready='1']", timeout=20_000)
        assert page.locator(f"{selector} .kafo-legend, #home-map").count(), f"{url}: legend"


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def _coordinator_code() -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="coordination", confirmed=True)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def test_every_role_reaches_every_page_from_the_menu_and_reads_its_maps(live_server, chromium):
    call_command("demo")
    url = live_server.url
    code = _coordinator_code()
    for username, shots in (("coordination", ["home", "gaps", "plans"]),
                            ("editeur.hi", ["overview", "import"]),
                            ("lecteur.drc", ["hazards"]),
                            ("bailleur.echo", ["funding"])):  # fmt: skip
        page = _page(chromium)
        _log_in(page, url, username, code=code if username == "coordination" else "")
        # Sub-menus open with a click (they are <details>): the first group's links show.
        page.locator("#main-menu summary").first.click()
        assert page.locator("#main-menu details[open] a").first.is_visible()
        for link in _menu_links(page):
            page.goto(url + link)
            assert page.locator("h1").count() or link.startswith("/admin"), link
            _maps_drawn(page, link)
            assert page.evaluate("document.documentElement.scrollWidth") <= 1366, link
        page.goto(url + "/")
        _maps_drawn(page, "/")
        for name in shots:
            target = {"home": "/", "gaps": "/analysis/gaps/", "plans": "/response/plans/",
                      "overview": "/response/", "import": "/imports/new/",
                      "hazards": "/mineaction/hazard/", "funding": "/funding/"}[name]  # fmt: skip
            page.goto(url + target)
            _maps_drawn(page, target)
            _shot(page, f"{username}-{name}")
        assert page.errors == [], (username, page.errors)
        page.context.close()


def test_on_a_phone_the_menu_folds_and_no_page_is_wider_than_the_screen(live_server, chromium):
    call_command("demo")
    page = _page(chromium, 390, 844)
    _log_in(page, live_server.url, "editeur.hi")
    assert not page.locator("#main-menu").is_visible()
    page.click(".menu-button")
    assert page.locator("#main-menu").is_visible()
    banner = page.locator(".demo-banner").bounding_box()
    assert banner["height"] < 844 / 8  # one folded line, not a third of the screen
    for link in _menu_links(page):
        page.goto(live_server.url + link)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (link, width)
    _shot(page, "phone-menu")
    assert page.errors == []


def test_filters_by_year_and_a_polite_refusal(live_server, chromium):
    call_command("demo")
    page = _page(chromium)
    _log_in(page, live_server.url, "lecteur.drc")
    page.goto(live_server.url + "/response/needs/")
    years = [v for v in page.locator("select[name=year] option").evaluate_all(
        "options => options.map(o => o.value)") if v]  # fmt: skip
    assert years and all(year.isdigit() and len(year) == 4 for year in years)
    page.select_option("select[name=year]", years[0])
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(f"**year={years[0]}**")
    assert page.locator("table.data tbody tr").count() >= 1
    # A viewer may not add an activity: a French page in the site's layout says why.
    page.goto(live_server.url + "/response/activities/new/")
    assert page.locator("#main-menu").count() == 1
    assert page.locator("h1").inner_text() == "Accès refusé"
    assert page.locator(".refusal").inner_text().strip()
    page.click("main a[href='/']")
    page.wait_for_url(live_server.url + "/")
    assert page.errors == [] or all("403" in error for error in page.errors)


def test_an_editor_corrects_a_rejected_5w_and_fills_the_template(
    live_server, chromium, user_with_role, organisation, demo_geography
):
    user_with_role(Role.PARTNER_EDITOR, organisation("HI", name="Humanité Inclusion"),
                   username="awa")  # fmt: skip
    page = _page(chromium)
    _log_in(page, live_server.url, "awa", "secret-pass-42")
    rows = ["Humanité Inclusion,PRO-MIN,EER 1,G-1,ML0501",
            "Humanité Inclusion,Jardinage,Potager,B-1,ML0501",
            "Humanité Inclusion,PRO-MIN,Sénégal,B-2,SN01"]  # fmt: skip
    body = "#org+impl,#sector,#activity+name,#meta+id,#adm2+code\n" + "\n".join(rows) + "\n"
    page.goto(live_server.url + "/imports/new/")
    page.select_option("select[name=kind]", "activities")
    page.set_input_files("input[type=file]", files=[
        {"name": "5w.csv", "mimeType": "text/csv", "buffer": body.encode()}])  # fmt: skip
    page.click("button.primary")
    page.wait_for_selector("input[aria-invalid='true']")
    assert Activity.objects.count() == 0  # all or nothing
    # Correct the sector on the page; drop the row of another country.
    for cell in page.locator("input[aria-invalid='true']").all():
        if cell.input_value() == "Jardinage":
            cell.fill("Protection")
    page.locator("tr", has_text="SN01").locator("input[name=drop]").check()
    with page.expect_navigation():  # the corrected rows' batch: its page once imported
        page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert set(Activity.objects.values_list("source_id", flat=True)) == {"G-1", "B-1"}
    # Kafo's own template, downloaded, filled with a value of each list, imports whole.
    page.goto(live_server.url + "/imports/new/")
    with page.expect_download() as download:
        page.click("a[href$='/activities.xlsx']")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    hashtags = [cell.value for cell in sheet[2]]
    values = {"#org+impl": "Humanité Inclusion", "#sector": "PRO-MIN",
              "#activity+type": "EORE", "#activity+name": "EER du modèle",
              "#adm2+code": "ML0501", "#adm2+name": "Mopti", "#status": "En cours",
              "#date+start": datetime.date(2025, 1, 6), "#meta+id": "T-1"}  # fmt: skip
    sheet.append([values.get(tag) for tag in hashtags])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page.select_option("select[name=kind]", "activities")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page.set_input_files("input[type=file]", files=[
        {"name": "modele.xlsx", "buffer": buffer.getvalue(), "mimeType": xlsx}])  # fmt: skip
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert Activity.objects.filter(source_id="T-1").exists(), page.inner_text("main")[:1500]
    assert Activity.objects.get(source_id="T-1").status == "ongoing"
    assert page.errors == []
