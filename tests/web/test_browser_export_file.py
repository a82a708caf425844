"""In a real browser, an Excel export too large for a request: the 5W's Excel button
leads to the file's page, which polls its progress and shows the download once the file
is written; the file downloaded is read back by openpyxl."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity
from kafo.security.models import Action, AuditEvent, ExportFile, ExportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logged_in(page, live_server) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "awa")
    page.fill("#id_password", "secret-pass-42")
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")


def test_the_excel_button_leads_to_the_file_then_its_download(
    live_server, user_with_role, demo_geography, settings, browser_page
):
    settings.KAFO_EXPORT_ROWS_IN_REQUEST = 2
    editor = user_with_role(Role.PARTNER_EDITOR, username="awa")
    mopti = AdminUnit.objects.get(pcode="ML0501")
    for n in range(3):
        activity = Activity.objects.create(
            title=f"EER {n}", organisation=editor.membership.organisation, sector="PRO-MIN",
            planned_start=datetime.date(2025, 1, 1),
        )  # fmt: skip
        activity.locations.set([mopti])
    page = browser_page
    _logged_in(page, live_server)
    page.goto(live_server.url + "/response/activities/")
    page.click("a.button:text-is('Excel')")
    page.wait_for_url("**/accounts/exports/*/")
    with page.expect_download() as download:
        page.click("text=Télécharger le fichier")
    assert download.value.suggested_filename.endswith(".xlsx")
    body = io.BytesIO(download.value.path().read_bytes())
    sheet = load_workbook(body, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert sorted(row[rows[0].index("Intitulé")] for row in rows[1:]) == ["EER 0", "EER 1",
                                                                          "EER 2"]  # fmt: skip
    assert page.errors == []


def test_the_page_of_a_file_being_written_shows_the_download_once_written(
    live_server, user_with_role, demo_geography, browser_page
):
    editor = user_with_role(Role.PARTNER_EDITOR, username="awa")
    event = AuditEvent.objects.create(action=Action.EXPORT, username="awa")
    export = ExportFile.objects.create(owner=editor, what="5w", format="xlsx", event=event,
                                       rows_total=10, rows_done=4,
                                       status=ExportStatus.RUNNING)  # fmt: skip
    page = browser_page
    _logged_in(page, live_server)
    page.goto(f"{live_server.url}/accounts/exports/{export.pk}/")
    assert page.locator("#export-progress progress").get_attribute("value") == "40"
    export.path().parent.mkdir(parents=True, exist_ok=True)
    export.path().write_bytes(b"PK")
    ExportFile.objects.filter(pk=export.pk).update(status=ExportStatus.DONE, rows_done=10)
    # htmx asks every 2 s; the page reloads when the file is written.
    page.wait_for_selector("a[href$='/download/']", timeout=10_000)
    assert page.errors == []
