"""The radius test (`within`) sets pairs aside on a box before it computes their distance:
the box must never set aside a pair within the radius, wherever on the globe and however
large the radius, for the points of neighbouring grid cells it is given."""

import math

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kafo.analysis.engine import connect, grid_cell, in_cells, km, within

# A point, and a second one at a bearing and a distance from it (up to twice the radius).
point = st.tuples(st.floats(-179.0, 179.0), st.floats(-89.0, 89.0))


@settings(max_examples=60, deadline=None)
@given(
    centre=point,
    radius=st.floats(0.01, 200.0),
    offsets=st.lists(
        st.tuples(st.floats(-2.0, 2.0), st.floats(-2.0, 2.0)), min_size=1, max_size=40
    ),
)
def test_the_box_keeps_every_pair_within_the_radius(centre, radius, offsets):
    con = connect()
    # Offsets in radii: degrees of latitude (111.2 km) and of longitude, wider towards
    # the poles, so that many pairs sit near the circle's edge.
    lon, lat = centre
    scale = radius / 111.2
    points = pa.table({
        "lon": [lon] + [lon + dx * scale / max(0.05, abs(_cos(lat))) for dx, _ in offsets],
        "lat": [lat] + [max(-89.0, min(89.0, lat + dy * scale)) for _, dy in offsets],
    })  # fmt: skip
    con.register("points", points)
    cell = grid_cell(con, radius, "points")
    near, kept = con.execute(
        f"""
        SELECT count(*) FILTER (WHERE {km("a", "b")} <= {radius!r}),
               count(*) FILTER (WHERE {within("a", "b", radius, cell)})
        FROM {in_cells("points", cell)} a, {in_cells("points", cell)} b
        WHERE abs(a.cx - b.cx) <= 1 AND abs(a.cy - b.cy) <= 1
        """
    ).fetchone()
    assert kept == near


@pytest.mark.parametrize(
    ("latitude", "radius", "apart"),
    # Just under the farthest apart two points of the parallel can be, within the radius.
    [(89.0, 200.0, 128.0), (88.9, 200.0, 109.6), (80.0, 100.0, 5.18), (14.0, 5.0, 0.04634)],
)
def test_points_far_apart_in_longitude_near_a_pole_are_kept(latitude, radius, apart):
    # Near a pole a degree of longitude is short: two points on one parallel, within the
    # radius, can be farther apart in longitude than a cell (the cell is sized with 111
    # km a degree, the bound with the haversine).
    con = connect()
    con.register("points", pa.table({"lon": [0.0, apart], "lat": [latitude, latitude]}))
    cell = grid_cell(con, radius, "points")
    distance, kept = con.execute(
        f"""
        SELECT {km("a", "b")}, {within("a", "b", radius, cell)}
        FROM {in_cells("points", cell)} a, {in_cells("points", cell)} b
        WHERE a.lon = 0 AND b.lon > 0
        """
    ).fetchone()
    assert distance <= radius
    assert kept


def test_the_box_sets_most_pairs_of_neighbouring_cells_aside():
    # Why it is there: on a regular lattice, most pairs of neighbouring cells are
    # farther apart than the radius, and the box alone tells them apart.
    con = connect()
    side = [i * 0.01 for i in range(60)]
    con.register("points", pa.table({"lon": [x for x in side for _ in side],
                                     "lat": [14.0 + y for _ in side for y in side]}))  # fmt: skip
    radius = 5.0
    cell = grid_cell(con, radius, "points")
    neighbours, boxed, near = con.execute(
        f"""
        SELECT count(*),
               count(*) FILTER (WHERE abs(b.lat - a.lat) <= {radius / 111.19}
                                  AND abs(b.lon - a.lon) <= {cell}),
               count(*) FILTER (WHERE {within("a", "b", radius, cell)})
        FROM {in_cells("points", cell)} a, {in_cells("points", cell)} b
        WHERE abs(a.cx - b.cx) <= 1 AND abs(a.cy - b.cy) <= 1
        """
    ).fetchone()
    assert near <= boxed < neighbours / 2


def _cos(lat: float) -> float:
    return math.cos(math.radians(lat))
