"""Vectorised geometry helpers shared by the importer, the demo and the maps."""

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
