"""The 5W at 500,000 activities on SQLite: the map layer, the streamed exports, the overview
and the list answer, whole and right (no "too many SQL variables", no query over every
id), each within a bound far above its measured time, only to catch a pathological
regression (bench/pages.py measures the times)."""

import csv
import json
import re
import time
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from kafo.actors.models import Role
from kafo.response.models import Activity

ROWS = 500_000
# Seconds: about five times what one request takes on the 2-core development machine.
BOUND = 120

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's bound on SQL variables is what it tests"
)


@pytest.fixture
def half_a_million(client, demo_geography, user_with_role, organisation):
    """ROWS activities in the 50 cercles, the n-th in cercle n mod 50: inserted by SQLite
    itself, in a few seconds."""
    hi = organisation("HI")
    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
            "INSERT INTO response_activity (title, description, sector, activity_type, status,"
            " planned_start, points, currency, source_id, record_references, iati,"
            " organisation_id, " + ", ".join(f"{kind}_{group}" for kind in ("targeted", "reached")
            for group in ("girls", "boys", "women", "men", "pwd", "displaced", "host",
                          "unknown")) + ") "
            "SELECT 'EER ' || i, '', 'PRO-MIN', 'EORE', 'ongoing', date('2025-01-01', "
            "'+' || (i % 365) || ' days'), '[]', 'XOF', 'S' || i, '[]', '{}', %s, "
            + ", ".join(["0"] * 15) + ", 1 FROM n",
            [ROWS, hi.pk],
        )  # fmt: skip
        cursor.execute(
            "WITH u AS (SELECT id, row_number() OVER (ORDER BY pcode) - 1 AS k "
            "FROM geo_adminunit WHERE level = 2), "
            "c AS (SELECT count(*) AS n FROM u) "
            "INSERT INTO response_activity_locations (activity_id, adminunit_id) "
            "SELECT a.id, u.id FROM response_activity a, c JOIN u ON u.k = a.id % c.n"
        )
    return client


def _timed(client, url: str, **query):
    began = time.monotonic()
    response = client.get(url, query)
    assert response.status_code == 200, response.content[:500]
    return response, began


def _within_bound(began: float) -> None:
    assert time.monotonic() - began < BOUND


def test_the_5w_at_half_a_million(half_a_million, tmp_path):
    client = half_a_million
    through = Activity.locations.through.objects
    per_region = dict(through.values("adminunit__parent__pcode").annotate(n=Count("id"))
                      .values_list("adminunit__parent__pcode", "n"))  # fmt: skip
    assert sum(per_region.values()) == ROWS and len(per_region) == 9

    expected_ids = {str(pk) for pk in Activity.objects.values_list("pk", flat=True)}

    # The map layer: one point per region, the counts adding up to every activity.
    response, began = _timed(client, reverse("response:activities_geojson"))
    layer = json.loads(response.content)
    _within_bound(began)
    counts = {f["properties"]["pcode"]: f["properties"]["count"] for f in layer["features"]}
    assert counts == per_region
    assert len(response.content) < 1_000_000

    # The exports, streamed: every row once, read back by the csv module. (The Excel
    # file of so many rows is made by a task: tests/response/test_export_task.py.)
    # CSV: header, rows, stamp. HXL: stamp, header, hashtags, rows.
    stamp = "Exporté de Kafo "
    for query, other_rows in (({}, ["ID", stamp]),
                              ({"format": "hxl"}, [stamp, "ID", "#activity+id+x_k"])):  # fmt: skip
        response, began = _timed(client, reverse("response:activity_export"), **query)
        assert response.streaming
        path = tmp_path / "export.csv"
        with path.open("wb") as out:
            for chunk in response.streaming_content:
                out.write(chunk)
        _within_bound(began)
        with path.open(encoding="utf-8-sig", newline="") as text:
            rows = list(csv.reader(text))
        ids = Counter(row[0] for row in rows if row[0].isdigit())
        assert set(ids) == expected_ids and set(ids.values()) == {1}
        assert [row[0][:16] for row in rows if not row[0].isdigit()] == other_rows

    # The overview and the list: aggregates in the database, a bounded page.
    for name in ("overview", "response:activities"):
        response, began = _timed(client, reverse(name))
        _within_bound(began)
        assert len(response.content) < 1_000_000
    # The list's title counts them all (French groups of three, with a narrow space).
    assert re.search(r"\(500\W000\)", response.content.decode())
