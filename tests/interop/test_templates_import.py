"""Kafo's own XLSX templates import: each template, downloaded as a partner downloads it
(in French and in English) and filled with each value of each of its drop-down lists
(read by openpyxl from the lists the workbook offers), imports whole."""

import datetime
import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kafo.interop.importers import IMPORTERS

# A valid row of each kind, by hashtag; each drop-down value is tried over it.
BASE = {
    "activities": {
        "#org+impl": "Humanité & Inclusion", "#sector": "PRO-MIN", "#activity+type": "EORE",
        "#activity+name": "Sessions d’éducation aux risques", "#adm2+name": "Mopti",
        "#date+start": datetime.date(2025, 1, 6), "#date+end": datetime.date(2025, 3, 31),
        "#value": 1000, "#currency": "XOF", "#reached+f+children": 12,
    },
    "hazards": {
        "#loc+name": "Puits", "#geo+lon": -4.2, "#geo+lat": 14.5,
        "#indicator+evidence+type": None, "#indicator+contamination": None,
        "#indicator+evidence": None,
        "#loc+type": None, "#status": None, "#x_area+estimated": 5000,
        "#date+reported": datetime.date(2025, 2, 1),
    },
    "incidents": {
        "#date+occurred": datetime.date(2025, 2, 1), "#geo+lon": -4.2, "#geo+lat": 14.5,
        "#loc+name": "Route", "#indicator+device": None, "#event+type": None,
        "#indicator+activity": None, "#indicator+marked": None,
    },
    "needs": {"#adm2+name": "Mopti", "#sector": "PRO-MIN", "#date+year": 2025,
              "#inneed": 1200},
    "organisations": {"#org+type": None},
}  # fmt: skip
IDENTIFIERS = {"activities": "#meta+id", "hazards": "#meta+id", "incidents": "#event+id",
               "organisations": "#org+name"}  # fmt: skip


def _lists(book) -> dict[str, list]:
    """Each drop-down column's values, by hashtag, as the workbook offers them."""
    data = book.worksheets[0]
    hashtags = {cell.column_letter: cell.value for cell in data[2]}
    lists = {}
    for check in data.data_validations.dataValidation:
        if check.type != "list":
            continue
        sheet, letter = re.match(r"='?([^'!]+)'?!\$([A-Z]+)\$", check.formula1).groups()
        column = str(check.sqref).split(":")[0].rstrip("0123456789")
        values = [c.value for c in book[sheet][letter] if c.value is not None]
        lists[hashtags[column]] = values
    return lists


def _rows(kind: str, lists: dict[str, list]) -> list[dict]:
    base = {tag: value for tag, value in BASE[kind].items()}
    for tag, value in base.items():
        if value is None:  # a drop-down column: its first value in the base row
            base[tag] = lists[tag][0]
    rows = []
    for tag, values in lists.items():
        for value in values:
            row = {**base, tag: value}
            if kind == "activities" and tag == "#sector" and value != "PRO-MIN":
                row["#activity+type"] = ""  # mine action types belong to PRO-MIN
            if tag in ("#adm1+name", "#adm2+name"):
                row.pop("#adm2+name")
                row[tag] = value
            if tag == "#indicator+evidence":
                # Indirect, so that every evidence seen is coherent (direct evidence needs
                # a direct sign: the form's own rule).
                row["#indicator+evidence+type"] = lists["#indicator+evidence+type"][1]
            rows.append(row)
    for number, row in enumerate(rows, start=1):
        if kind in IDENTIFIERS:
            row[IDENTIFIERS[kind]] = (
                f"Organisation modèle {number}" if kind == "organisations" else f"T-{number}"
            )
    if kind == "needs":  # one figure per unit and sector: keep the first of each
        seen, unique = set(), []
        for row in rows:
            key = (row.get("#adm1+name"), row.get("#adm2+name"), row.get("#sector"))
            if key not in seen:
                seen.add(key)
                unique.append(row)
        rows = unique
    return rows


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", ["activities", "hazards", "incidents", "needs",
                                  "organisations"])  # fmt: skip
def test_each_listed_value_of_each_template_imports(
    client, coordinator, organisation, demo_geography, tmp_path, kind, language
):
    organisation("HI", name="Humanité & Inclusion")
    organisation("DRC", "international_ngo", name="Danish Refugee Council")
    client.force_login(coordinator)
    with translation.override(language):
        response = client.get(f"/imports/template/{kind}.xlsx",
                              headers={"accept-language": language})  # fmt: skip
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    lists = _lists(book)
    assert lists, "the template offers no list"
    data = book.worksheets[0]
    columns = {cell.value: cell.column for cell in data[2]}
    rows = _rows(kind, lists)
    for number, row in enumerate(rows, start=3):
        for tag, value in row.items():
            data.cell(number, columns[tag], value)
    path = tmp_path / f"{kind}.xlsx"
    book.save(path)
    with translation.override(language):
        batch = IMPORTERS[kind](path, user=coordinator)
    assert batch.status == "imported", batch.report()["errors"][:10]
    assert batch.accepted == len(rows) and batch.dropped == 0
