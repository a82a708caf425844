"""Any file, however broken, gets a report with reasons, never a traceback, and a
failed import writes nothing (hypothesis generates the files)."""

import itertools
import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kafo.geo.importing import import_boundaries
from kafo.geo.models import AdminUnit, CodVersion

COLUMNS = ["ADM1_PCODE", "ADM1_FR", "ADM2_PCODE", "ADM2_FR", "ADM2_EN", "admin1Pcode", "name"]
PCODES = st.one_of(
    st.sampled_from(["ML01", "ML02", "ML0101", "ML0201", "ML", "XX01", "ml01", ""]),
    st.text(max_size=8),
)
VALUES = st.one_of(PCODES, st.none(), st.integers(-5, 99_999), st.floats(allow_nan=True))
COORDINATE = st.floats(min_value=-200, max_value=200, allow_nan=False)
RING = st.lists(st.tuples(COORDINATE, COORDINATE), min_size=4, max_size=7).map(
    lambda points: [list(p) for p in points] + [list(points[0])]
)
GEOMETRIES = st.one_of(
    st.none(),
    RING.map(lambda ring: {"type": "Polygon", "coordinates": [ring]}),
    st.tuples(COORDINATE, COORDINATE).map(lambda p: {"type": "Point", "coordinates": list(p)}),
    st.just({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 1], [1, 0], [0, 0]]]}),
    st.sampled_from([(0, 0), (2, 0), (0, 1)]).map(
        lambda xy: {
            "type": "Polygon",
            "coordinates": [
                [
                    [xy[0], xy[1]],
                    [xy[0] + 2, xy[1]],
                    [xy[0] + 2, xy[1] + 1],
                    [xy[0], xy[1] + 1],
                    [xy[0], xy[1]],
                ]
            ],
        }
    ),
)


def _cercles(parts):
    """Cercles of two regions on a grid; a True flag draws a self-crossing polygon."""
    features = []
    for region, number, name, crossed in parts:
        x = (0 if region == "ML01" else 10) + number
        ring = [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]
        if crossed:
            ring = [[x, 0], [x + 1, 1], [x, 1], [x + 1, 0], [x, 0]]
        features.append(
            {
                "properties": {"ADM1_PCODE": region, "ADM2_PCODE": f"{region}0{number}",
                               "ADM2_FR": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )  # fmt: skip
    return features


NEARLY_VALID = st.lists(
    st.tuples(
        st.sampled_from(["ML01", "ML02"]),
        st.integers(1, 3),
        st.one_of(st.sampled_from(["Kayes", "Ségou", "Tombouctou"]), st.text(max_size=10)),
        st.sampled_from([False, False, False, True]),
    ),
    min_size=1, max_size=5, unique_by=lambda part: part[:2],
).map(_cercles)  # fmt: skip
ANYTHING = st.lists(
    st.fixed_dictionaries(
        {
            "properties": st.dictionaries(st.sampled_from(COLUMNS), VALUES, max_size=5),
            "geometry": GEOMETRIES,
        }
    ),
    max_size=6,
)
FEATURES = st.one_of(NEARLY_VALID, ANYTHING)
_names = itertools.count()


def _counts():
    return CodVersion.objects.count(), AdminUnit.objects.count()


def _import_and_check(path):
    before = _counts()
    report = import_boundaries(path, f"fuzz-{next(_names)}")
    event("refused" if report.errors else "imported")
    if report.errors:
        assert _counts() == before, "a failed import wrote something"
        for problem in report.errors:
            assert str(problem).strip() and problem.reason
    else:
        assert sum(report.levels.values()) == _counts()[1] - before[1]


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(features=FEATURES)
def test_generated_geojson_never_raises_and_never_half_writes(tmp_path, features):
    path = tmp_path / "adm.geojson"
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", **feature} for feature in features],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    _import_and_check(path)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.just(b'{"type": "FeatureCollection", "features": [{"type": "Feature"}]}'),
        st.just(b"PK\x03\x04broken zip"),
    ),
    suffix=st.sampled_from([".geojson", ".json", ".zip", ".gpkg", ".shp"]),
)
def test_garbage_files_get_a_clear_error(tmp_path, content, suffix):
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(content)
    before = _counts()
    report = import_boundaries(path, f"fuzz-{next(_names)}")
    assert report.errors and _counts() == before
