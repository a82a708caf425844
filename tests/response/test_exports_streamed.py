"""The 5W exports (CSV, HXL, Excel) are streamed in chunks, in constant memory: every
activity and every one of its admin units is there, in the list's order, read back by
Python's csv, libhxl and openpyxl."""

import csv
import datetime
import io

import hxl
import openpyxl
import pytest
from django.urls import reverse
from hxl.input import InputOptions

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity

COUNT = 2100  # more than one chunk of 2,000


@pytest.fixture
def many(client, demo_geography, user_with_role, organisation):
    hi = organisation("HI")
    client.force_login(user_with_role(Role.COORDINATOR, hi))
    units = list(AdminUnit.objects.filter(level=2).order_by("pcode")[:2])
    start = datetime.date(2024, 1, 1)
    made = Activity.objects.bulk_create(
        Activity(title="=1+1" if n == 7 else f"A{n:05d}", organisation=hi, sector="PRO-MIN",
                 planned_start=start + datetime.timedelta(days=n % 50), source_id=f"S{n}")
        for n in range(COUNT)
    )  # fmt: skip
    through = Activity.locations.through
    through.objects.bulk_create(
        through(activity_id=a.pk, adminunit_id=u.pk) for a in made for u in units
    )
    return [u.pcode for u in units]


def _get(client, query: str):
    response = client.get(reverse("response:activity_export") + query)
    assert response.status_code == 200
    return response


def test_the_csv_is_streamed_whole_in_the_lists_order(client, many):
    response = _get(client, "")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    header, body = rows[0], rows[1:-1]
    assert len(body) == COUNT and rows[-1][0].startswith("Exporté de Kafo")
    expected = list(Activity.objects.order_by("-planned_start", "title", "pk")
                    .values_list("source_id", flat=True))  # fmt: skip
    source = header.index("Identifiant source")
    assert [row[source] for row in body] == expected
    assert {row[-1] for row in body} == {" ".join(many)}


def test_the_hxl_reads_back_in_libhxl_with_each_level(client, many, tmp_path):
    response = _get(client, "?format=hxl")
    assert response.streaming
    path = tmp_path / "5w.hxl.csv"
    path.write_bytes(response.getvalue())
    rows = list(hxl.data(str(path), InputOptions(allow_local=True)))
    assert len(rows) == COUNT
    assert {row.get("#adm2+code") for row in rows} == {" ".join(many)}
    regions = AdminUnit.objects.filter(pcode__in=many).values_list("parent__pcode", flat=True)
    assert {row.get("#adm1+code") for row in rows} == {" ".join(sorted(set(regions)))}


def test_the_workbook_opens_in_openpyxl_and_keeps_formulas_as_text(client, many, tmp_path):
    response = _get(client, "?format=xlsx")
    path = tmp_path / "5w.xlsx"
    path.write_bytes(response.getvalue())
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == COUNT + 1
    titles = [row[rows[0].index("Intitulé")] for row in rows[1:]]
    assert "=1+1" in titles  # a text, not a formula
    assert workbook.worksheets[1]["A1"].value.startswith("Exporté de Kafo")
