"""Vectorised geometry helpers shared by the importer, the demo and the maps."""

import hashlib
import math
import re
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer

WGS84 = CRS.from_epsg(4326)
# NSIDC EASE-Grid 2.0 Global: equal-area, so planar areas there are true areas.
EQUAL_AREA = CRS.from_epsg(6933)
# Display tolerance in degrees per level: coarse outlines for regions, finer for communes.
DISPLAY_TOLERANCE = {0: 0.02, 1: 0.01, 2: 0.005, 3: 0.002, 4: 0.001}
DISPLAY_GRID = 0.0005


def reproject(geometries: np.ndarray, source_crs: CRS, target_crs: CRS = WGS84) -> np.ndarray:
    """Reproject an array of geometries in one pass over all their coordinates."""
    if CRS.from_user_input(source_crs) == CRS.from_user_input(target_crs):
        return geometries
    transformer = Transformer.from_crs(source_crs, target_crs, always_xy=True)
    return shapely.transform(
        geometries, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def areas_km2(geometries: np.ndarray) -> np.ndarray:
    """True areas in km² of lon/lat geometries."""
    return shapely.area(reproject(geometries, WGS84, EQUAL_AREA)) / 1e6


def display_geometries(geometries: np.ndarray, level: int) -> np.ndarray:
    """Simplified geometries for maps, light enough for a slow connection.

    Neighbouring units are simplified as one coverage so that they keep their
    shared edges; a layer that is not a clean coverage is simplified unit by unit.
    """
    tolerance = DISPLAY_TOLERANCE.get(level, 0.001)
    present = ~shapely.is_missing(geometries)
    simplified = np.array(geometries, dtype=object)
    try:
        candidate = shapely.coverage_simplify(geometries[present], tolerance)
        if not shapely.is_valid(candidate).all():
            raise ValueError("not a coverage")
    except (ValueError, shapely.errors.GEOSException):
        candidate = shapely.simplify(geometries[present], tolerance, preserve_topology=True)
    simplified[present] = shapely.set_precision(candidate, DISPLAY_GRID)
    return simplified


# Past this zoom a pixel is finer than every level's stored outline: sent as stored.
FINEST_SIMPLIFIED_ZOOM = 8


def zoom_tolerance(zoom: int) -> float:
    """Degrees of longitude per screen pixel at a web map's zoom level (256-pixel tiles)."""
    return 360 / (256 * 2**zoom)


def outlines_for_zoom(shapes: list[str], zoom: int) -> list[str]:
    """Stored display outlines (GeoJSON texts of one coverage) simplified to a pixel at
    `zoom`, on a decimal grid that keeps each coordinate short: Mali's 701 communes at a
    country view (zoom 5) are 129 kB, not 646. A unit that would vanish keeps its stored
    outline. Past FINEST_SIMPLIFIED_ZOOM the outlines are returned as stored."""
    if zoom > FINEST_SIMPLIFIED_ZOOM or not shapes:
        return shapes
    digest = hashlib.blake2b("\0".join(shapes).encode(), digest_size=16).digest()
    return list(_outlines_for_zoom(digest, tuple(shapes), max(zoom, 0)))


@lru_cache(maxsize=16)
def _outlines_for_zoom(_digest: bytes, shapes: tuple[str, ...], zoom: int) -> tuple[str, ...]:
    # (keyed on the digest: a tuple of long strings hashes them each time it is looked up)
    tolerance = zoom_tolerance(zoom)
    grid = 10 ** math.floor(math.log10(tolerance / 2))
    stored = shapely.from_geojson(np.array(shapes, dtype=object))
    try:
        simplified = shapely.coverage_simplify(stored, tolerance)
    except shapely.errors.GEOSException:  # not a coverage
        simplified = shapely.simplify(stored, tolerance, preserve_topology=True)
    simplified = shapely.set_precision(simplified, grid)
    lost = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
    texts = shapely.to_geojson(simplified)
    texts[lost] = np.array(shapes, dtype=object)[lost]
    return tuple(texts.tolist())


def unit_geometry_fields(geometries: np.ndarray, level: int) -> list[dict]:
    """The stored geometry columns of AdminUnit for each geometry (None stays empty)."""
    geometries = np.asarray(geometries, dtype=object)
    present = ~shapely.is_missing(geometries)
    wkb = shapely.to_wkb(geometries)
    bounds = shapely.bounds(geometries)
    labels = shapely.point_on_surface(geometries)
    label_x, label_y = shapely.get_x(labels), shapely.get_y(labels)
    area = np.full(len(geometries), np.nan)
    display = np.full(len(geometries), "", dtype=object)
    if present.any():
        area[present] = areas_km2(geometries[present])
        display[present] = shapely.to_geojson(display_geometries(geometries[present], level))
    rows = []
    for i in range(len(geometries)):
        if not present[i]:
            rows.append({"geometry": None, "display_geojson": ""})
            continue
        rows.append(
            {
                "geometry": wkb[i],
                "display_geojson": display[i],
                "min_lon": float(bounds[i, 0]),
                "min_lat": float(bounds[i, 1]),
                "max_lon": float(bounds[i, 2]),
                "max_lat": float(bounds[i, 3]),
                "label_lon": float(label_x[i]),
                "label_lat": float(label_y[i]),
                "area_km2": round(float(area[i]), 3),
            }
        )
    return rows


# A GeoJSON "coordinates" member: only brackets, numbers, commas and spaces until it ends.
_COORDINATES = re.compile(rb'("coordinates"\s*:\s*)(\[[\[\]0-9eE+\-., \n\t]*\])')
_LONG_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?[eE][+-]?\d+|-?\d+\.\d{6,}")


def shorten_coordinates(geojson: bytes, digits: int = 5) -> bytes:
    """GeoJSON with every coordinate rounded to `digits` decimals (5: about a metre), and
    nothing else touched: properties keep their numbers as they were."""

    def rounded(number: re.Match) -> bytes:
        text = f"{float(number.group()):.{digits}f}".rstrip("0").rstrip(".")
        return (text if text not in ("-0", "") else "0").encode()

    def member(match: re.Match) -> bytes:
        return match.group(1) + _LONG_NUMBER.sub(rounded, match.group(2))

    return _COORDINATES.sub(member, geojson)
