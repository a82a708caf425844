"""The real 2014 ROWCA 3W: what Kafo stores of its Mali rows is what libhxl reads in the
file, per organisation, sector, region and month; the Senegal rows are refused as rows of
another country, and nothing else."""

import collections
import datetime
import unicodedata

import hxl
import pytest
from hxl.input import InputOptions

from kafo.interop.activities import import_activities
from kafo.response.models import Activity
from tests.conftest import shared_data

pytestmark = [pytest.mark.realdata]
MONTHS = {"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
          "August": 8, "September": 9, "October": 10, "November": 11, "December": 12}  # fmt: skip


def _fold(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    return "".join(c for c in name if not unicodedata.combining(c)).lower()


def test_the_mali_rows_are_stored_as_libhxl_reads_them(demo_geography):
    path = shared_data("hxl/rowca-3w-2014-hxl.csv")
    rows = list(hxl.data(str(path), InputOptions(allow_local=True)))
    mali = [r for r in rows if r.get("#country") == "Mali"]
    batch = import_activities(path, accept_valid=True, year=2014)
    assert (batch.accepted, batch.rejected) == (len(mali), len(rows) - len(mali))
    expected = collections.Counter(
        (
            r.get("#org"),
            _fold(r.get("#adm1")),
            datetime.date(2014, MONTHS[r.get("#period_date")], 1),
        )
        for r in mali
    )
    stored = collections.Counter(
        (a.organisation.name, _fold(a.locations.get().name), a.planned_start)
        for a in Activity.objects.select_related("organisation").prefetch_related("locations")
    )
    assert stored == expected
    # June 2014 is past: the rows are completed, not "planned".
    assert set(Activity.objects.values_list("status", flat=True)) == {"completed"}


@pytest.mark.django_db
def test_under_the_real_cod_ab_close_spellings_are_taken_and_listed():
    from kafo.geo.importing import import_boundaries

    assert import_boundaries(shared_data("mali-cod-ab-2015"), "2015").ok
    path = shared_data("hxl/rowca-3w-2014-hxl.csv")
    mali = [r for r in hxl.data(str(path), InputOptions(allow_local=True))
            if r.get("#country") == "Mali"]  # fmt: skip
    batch = import_activities(path, accept_valid=True, year=2014)
    assert batch.accepted == len(mali), batch.report()["errors"][:3]
    close = [n["reason"] for n in batch.notes if "graphie proche" in n["reason"]]
    assert close and "« Koulikoro » → Koulikouro (ML02)" in close[0]


def test_what_is_not_imported_is_counted_and_named(demo_geography):
    import csv

    path = shared_data("hxl/rowca-3w-2014-hxl.csv")
    with path.open(encoding="utf-8") as stream:
        _header, tags, *rows = list(csv.reader(stream))
    kept = {"#sector", "#org", "#period_date", "#activity", "#country", "#adm1", "#adm2"}
    mali = [row for row in rows if row[tags.index("#country")] == "Mali"]
    expected = sum(1 for row in mali for i, tag in enumerate(tags)
                   if tag not in kept and row[i].strip())  # fmt: skip
    batch = import_activities(path, accept_valid=True, year=2014)
    assert batch.dropped == expected > 0
    [note] = [n for n in batch.notes if "valeurs non importées" in n["reason"]]
    assert note["count"] == expected
    assert "AnnualTarget" in note["reason"] and "#activity+id (ActivityId)" in note["reason"]
