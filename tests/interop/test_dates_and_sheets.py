"""Dates as files write them (workbook date cells, Excel serials, ISO date-times, KoBo's,
day-first and month-first columns, months as periods), and a 5W on any sheet."""

import datetime
from decimal import Decimal

import openpyxl
import pytest

from kafo.interop.activities import import_activities
from kafo.interop.dates import day_order, read_date, read_period
from kafo.interop.hxl import HxlError, read_hxl
from kafo.response.models import Activity

TAGS = ["#org+impl", "#sector", "#meta+id", "#adm1+name", "#date+start", "#date+end", "#value",
        "#currency"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-01-15", datetime.date(2025, 1, 15)),
        ("2025-01-15 00:00:00", datetime.date(2025, 1, 15)),
        ("2025-01-15T10:30:00", datetime.date(2025, 1, 15)),
        ("2025-03-02T00:00:00.000+00:00", datetime.date(2025, 3, 2)),
        ("01-01-2025", datetime.date(2025, 1, 1)),
        ("31/12/2025", datetime.date(2025, 12, 31)),
        ("31.12.2025", datetime.date(2025, 12, 31)),
        ("45672", datetime.date(2025, 1, 15)),  # Excel's serial number of that day
        ("2025/01/15", datetime.date(2025, 1, 15)),
    ],
)
def test_each_way_of_writing_a_day(text, day):
    assert read_date(text) == day


def test_a_month_is_a_period():
    period = read_period("2025-02")
    assert (period.first, period.last) == (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    assert read_date("2025-02") is None


def test_a_column_is_read_month_first_only_when_it_says_so():
    assert day_order(["03/04/2025", "13/04/2025"]) == (True, "")
    assert day_order(["03/04/2025", "04/13/2025"]) == (False, "")
    _day_first, reason = day_order(["13/04/2025", "04/13/2025"])
    assert "« 13/04/2025 » est jour/mois/année" in reason


@pytest.fixture
def places(demo_geography, organisation):
    organisation("HI", name="Humanité & Inclusion")


def _workbook(tmp_path, rows, *, first_sheet_empty=False):
    book = openpyxl.Workbook()
    sheet = book.active
    if first_sheet_empty:
        sheet.title = "Lisez-moi"
        sheet["A1"] = "Mode d’emploi du 5W"
        sheet = book.create_sheet("5W")
    sheet.append(["Organisation", "Secteur", "Code", "Région", "Début", "Fin", "Budget", "Devise"])
    sheet.append(TAGS)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "5w.xlsx"
    book.save(path)
    return path


def test_date_and_number_cells_of_a_workbook_on_its_second_sheet(tmp_path, places):
    path = _workbook(tmp_path, [
        ["HI", "PRO", "A", "Mopti", datetime.datetime(2025, 1, 15), datetime.date(2025, 6, 30),
         250000.5, "EUR"],
        ["HI", "PRO", "B", "Mopti", "2025-02", "2025-03", 1234, "EUR"],
    ], first_sheet_empty=True)  # fmt: skip
    batch = import_activities(path)
    assert batch.status == "imported", batch.report()
    a, b = Activity.objects.get(source_id="A"), Activity.objects.get(source_id="B")
    assert (a.planned_start, a.planned_end, a.budget) == (
        datetime.date(2025, 1, 15), datetime.date(2025, 6, 30), Decimal("250000.50"))  # fmt: skip
    assert (b.planned_start, b.planned_end) == (datetime.date(2025, 2, 1),
                                                datetime.date(2025, 3, 31))  # fmt: skip


def test_a_number_cell_with_three_decimals_is_a_number_not_thousands(tmp_path):
    path = _workbook(tmp_path, [["HI", "PRO", "A", "Mopti", "", "", 1.125, "EUR"]])
    table = read_hxl(path)
    assert TAGS.index("#value") in table.number_columns and table.rows[0][6] == "1.125"


def test_a_sheet_is_chosen_by_name_or_refused_with_the_sheets(tmp_path):
    path = _workbook(tmp_path, [["HI", "PRO", "A", "Mopti", "", "", 1, "EUR"]],
                     first_sheet_empty=True)  # fmt: skip
    assert read_hxl(path, sheet="5W").rows[0][2] == "A"
    with pytest.raises(HxlError, match="Lisez-moi, 5W"):
        read_hxl(path, sheet="Données")
    with pytest.raises(HxlError, match="Lisez-moi, 5W"):
        read_hxl(path, sheet="Lisez-moi")


def test_a_column_with_both_day_orders_is_refused(tmp_path, places):
    path = tmp_path / "5w.csv"
    path.write_text(
        ",".join(TAGS) + "\nHI,PRO,A,Mopti,13/04/2025,,,\nHI,PRO,B,Mopti,04/13/2025,,,\n"
    )
    batch = import_activities(path)
    assert batch.status == "rejected"
    assert all("jour/mois/année" in e["reason"] for e in batch.report()["errors"])
