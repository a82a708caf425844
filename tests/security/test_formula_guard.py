"""Exports never hand a spreadsheet a formula to run: a text starting with =, +, -, @ (or
a tab or a carriage return) is prefixed with a quote in CSV and HXL, and stays text in
XLSX; Kafo's importers take the quote off, so an export still imports back the same."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from openpyxl import load_workbook

from kafo.actors.models import Role
from kafo.interop.activities import import_activities
from kafo.response.models import Activity
from kafo.security.exports import xlsx_response

TITLES = ['=HYPERLINK("http://x.example","clic")', "@SUM(A1:A9)", "+1+1", "-2+3"]


@pytest.mark.parametrize("title", TITLES)
def test_a_csv_export_guards_a_formula(client, user_with_role, title):
    editor = user_with_role(Role.PARTNER_EDITOR)
    Activity.objects.create(organisation=editor.membership.organisation, title=title,
                            sector="HEA")  # fmt: skip
    client.force_login(editor)
    text = client.get("/response/activities/export/").getvalue().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + title in cells and title not in cells


def test_an_xlsx_cell_stays_text(user_with_role):
    request = RequestFactory().get("/")
    request.user = user_with_role(Role.COORDINATOR)
    response = xlsx_response(request, "test", ["titre"], [[TITLES[0]]])
    cell = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]["A2"]
    assert cell.data_type == "s" and cell.value == TITLES[0]


def test_a_guarded_hxl_export_imports_back_the_same(tmp_path, demo_geography, organisation):
    from kafo.geo.models import AdminUnit

    hi = organisation("HI", name="Humanité & Inclusion")
    activity = Activity.objects.create(organisation=hi, title=TITLES[0], sector="HEA",
                                       source_id="HI-1")  # fmt: skip
    activity.locations.set(AdminUnit.objects.active().filter(pcode="ML0501"))
    out = tmp_path / "out.csv"
    call_command("export_hxl", "activities", "-o", str(out), "--audience", "national")
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8")
    Activity.objects.all().delete()
    batch = import_activities(out)
    assert batch.status == "imported", batch.report()
    assert Activity.objects.get().title == TITLES[0]
