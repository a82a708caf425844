"""The active admin units held in memory as a tree: each unit's chain of ancestors, its
ancestor at a level, and a point to put it on a map — for work over many units at once
(joint plans, community coverage) without a query per unit."""

from kafo.geo.models import AdminUnit


class UnitTree:
    """The active boundaries: `by_id[pk]` is (pk, pcode, level, parent_id, point fields…)."""

    def __init__(self):
        rows = AdminUnit.objects.active().values_list(
            "pk", "pcode", "level", "parent_id", "label_lon", "label_lat", "min_lon", "min_lat",
            "max_lon", "max_lat",
        )  # fmt: skip
        self.by_id = {row[0]: row for row in rows}
        self.by_pcode = {row[1]: row[0] for row in rows}

    def pcode(self, unit_id: int) -> str:
        return self.by_id[unit_id][1]

    def chain(self, unit_id: int | None) -> list[int]:
        """The unit and every unit above it, finest first."""
        found = []
        while unit_id is not None and unit_id in self.by_id:
            found.append(unit_id)
            unit_id = self.by_id[unit_id][3]
        return found

    def at_level(self, unit_id: int | None, level: int) -> int | None:
        """The unit's ancestor (or itself) at that level; None when it is coarser."""
        return next((u for u in self.chain(unit_id) if self.by_id[u][2] == level), None)

    def point(self, unit_id: int | None) -> tuple[float, float] | None:
        """Its label point, else the middle of its extent, else None (also for a unit
        outside the active version: see kafo.geo.rehoming)."""
        if unit_id not in self.by_id:
            return None
        _pk, _code, _level, _parent, lon, lat, x0, y0, x1, y1 = self.by_id[unit_id]
        if lon is not None and lat is not None:
            return lon, lat
        if None not in (x0, y0, x1, y1):
            return (x0 + x1) / 2, (y0 + y1) / 2
        return None
