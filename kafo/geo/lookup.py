"""Which admin unit contains each point, at every level, for many points at once."""

from dataclasses import dataclass

import numpy as np
import shapely

from kafo.geo.models import AdminUnit, CodVersion


@dataclass
class PointLocator:
    """Locates points in a hierarchy of admin units.

    `levels` maps each level to its geometries and unit ids; `parents` maps a unit
    id to its parent's id. Points are matched against the finest level first, and
    only those that fall in no unit there (a gap or sliver between polygons) are
    tried at the coarser levels.
    """

    levels: dict[int, tuple[np.ndarray, np.ndarray]]
    parents: dict[int, int]

    def __post_init__(self) -> None:
        self._trees = {}
        for level, (geometries, ids) in self.levels.items():
            present = ~shapely.is_missing(geometries)
            kept = np.asarray(geometries, dtype=object)[present]
            shapely.prepare(kept)
            self._trees[level] = (shapely.STRtree(kept), np.asarray(ids)[present])
        self._ids = np.concatenate(
            [np.asarray(ids, dtype=np.int64) for _, ids in self.levels.values()]
        )
        self._level_of_row = np.concatenate(
            [np.full(len(ids), level) for level, (_, ids) in self.levels.items()]
        )
        self._sorter = np.argsort(self._ids)
        parent_ids = np.array([self.parents.get(int(u), -1) for u in self._ids], dtype=np.int64)
        self._parent_row = self._rows(parent_ids)

    def _rows(self, unit_ids: np.ndarray) -> np.ndarray:
        """Row of each unit id in the flat tables, -1 for an unknown id."""
        unit_ids = np.asarray(unit_ids, dtype=np.int64)
        sorted_ids = self._ids[self._sorter]
        position = np.clip(np.searchsorted(sorted_ids, unit_ids), 0, len(sorted_ids) - 1)
        rows = self._sorter[position]
        return np.where(self._ids[rows] == unit_ids, rows, -1)

    def _match(self, level: int, points: np.ndarray) -> np.ndarray:
        tree, ids = self._trees[level]
        found = np.full(len(points), -1, dtype=np.int64)
        point_index, geometry_index = tree.query(points, predicate="intersects")
        # On a shared border the lowest tree index wins, so results are repeatable.
        order = np.lexsort((geometry_index, point_index))[::-1]
        found[point_index[order]] = ids[geometry_index[order]]
        return found

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> dict[int, np.ndarray]:
        """For each level, the id of the unit holding each point, or -1 for none."""
        points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        n = len(points)
        finest = np.full(n, -1, dtype=np.int64)
        pending = np.arange(n)
        for level in sorted(self.levels, reverse=True):
            if len(pending) == 0:
                break
            found = self._match(level, points[pending])
            hit = found >= 0
            finest[pending[hit]] = found[hit]
            pending = pending[~hit]
        # Walk up the hierarchy in array steps: one step per level, not per point.
        row = self._rows(finest)
        result = {level: np.full(n, -1, dtype=np.int64) for level in self.levels}
        for _ in range(len(self.levels)):
            valid = np.flatnonzero(row >= 0)
            if len(valid) == 0:
                break
            levels = self._level_of_row[row[valid]]
            for level in np.unique(levels):
                target = valid[levels == level]
                result[int(level)][target] = self._ids[row[target]]
            row[valid] = self._parent_row[row[valid]]
        return result


def locator_for_version(version) -> PointLocator:
    """A PointLocator over every unit of a COD version."""

    units = list(
        AdminUnit.objects.filter(cod_version=version)
        .exclude(geometry=None)
        .values_list("id", "level", "parent_id", "geometry")
    )
    levels: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for level in sorted({u[1] for u in units}):
        rows = [u for u in units if u[1] == level]
        levels[level] = (
            shapely.from_wkb([bytes(u[3]) for u in rows]),
            np.array([u[0] for u in rows], dtype=np.int64),
        )
    parents = {u[0]: u[2] for u in units if u[2] is not None}
    return PointLocator(levels=levels, parents=parents)


_ACTIVE: dict[tuple, PointLocator] = {}


def active_locator():
    """The locator of the active COD version (built once per version), or None."""

    version = CodVersion.objects.filter(is_active=True).order_by("pk").first()
    if version is None:
        return None, None
    key = (version.pk, version.imported_at)
    if key not in _ACTIVE:
        _ACTIVE.clear()
        _ACTIVE[key] = locator_for_version(version)
    return version, _ACTIVE[key]


def finest_units(lon, lat) -> np.ndarray:
    """For each point, the id of the finest active admin unit holding it, -1 if none
    (outside the country, or no active boundaries)."""
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    _version, locator = active_locator()
    result = np.full(len(lon), -1, dtype=np.int64)
    if locator is None:
        return result
    for _level, ids in sorted(locator.locate(lon, lat).items(), reverse=True):
        result = np.where(result >= 0, result, ids)
    return result
