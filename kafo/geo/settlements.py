"""Settlements (populated places) from a CSV: p-code, name, longitude, latitude, and a
population where the file has one. Every problem names its row and column; nothing is
written unless there is none. Importing again updates by p-code."""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.actors.matching import normalise
from kafo.geo.lookup import finest_units
from kafo.geo.models import AdminUnit, CodVersion, Settlement

# Column names seen in COD and OSM settlement files, folded → field.
COLUMNS = {
    "pcode": ("pcode", "p code", "settlement pcode", "admin4pcode", "code"),
    "name": ("featurenam", "name", "nom", "featurename", "settlement", "localite"),
    "longitude": ("longitude", "lon", "long", "x"),
    "latitude": ("latitude", "lat", "y"),
    "place_class": ("popplacecl", "class", "type", "place"),
    "population": ("population", "pop", "total population"),
    # The admin unit the file places it in, finest first.
    "admin3": ("admin3pcod", "admin3pcode", "adm3 pcode", "adm3 code"),
    "admin2": ("admin2pcod", "admin2pcode", "adm2 pcode", "adm2 code"),
    "admin1": ("admin1pcod", "admin1pcode", "adm1 pcode", "adm1 code"),
}
ADMIN_COLUMNS = ("admin3", "admin2", "admin1")


class SettlementError(ValueError):
    """Problems that stop an import; `problems` lists (row, column, value, reason)."""

    def __init__(self, problems: list[tuple[int, str, str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{r}: {c} {v!r}: {why}" for r, c, v, why in problems[:20]))


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    outside: int = 0
    # Settlements whose point lies in another unit than the file's p-code says (kept where
    # the file says, and flagged), and how many of them in another region.
    disagree: int = 0
    other_region: int = 0


def _number(text: str) -> float | None:
    text = (text or "").strip()
    if text.upper() in ("", "NA", "NULL", "N/A"):
        return None
    return float(text.replace(",", "."))


def _text(data: bytes) -> str:
    """A CSV's text: UTF-8 (with or without BOM), UTF-16 with its BOM, or Windows-1252 as
    Excel saves it in French; a file of binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if b"\0" in data:
            raise SettlementError([(1, "", "", _("not a text file (CSV): binary data"))]) from None
        return data.decode("cp1252", errors="replace")


def read_settlements(path: Path) -> list[dict]:
    """The file's settlements, checked; SettlementError lists every problem."""
    rows = csv.reader(io.StringIO(_text(path.read_bytes())))
    header = next(rows, None)
    if not header:
        raise SettlementError([(1, "", "", _("the file is empty"))])
    folded = [normalise(re.sub(r"[_\-.]", " ", cell)) for cell in header]
    index = {}
    for field, names in COLUMNS.items():
        index[field] = next((i for i, name in enumerate(folded) if name in names), None)
    missing = [f for f in ("pcode", "name", "longitude", "latitude") if index[f] is None]
    if missing:
        raise SettlementError([(1, ", ".join(missing), "", _("column not found"))])
    problems, found, seen = [], [], set()
    for number, row in enumerate(rows, start=2):

        def cell(field, row=row):
            i = index[field]
            return row[i].strip() if i is not None and i < len(row) else ""

        pcode, name = cell("pcode"), cell("name")
        if not pcode:
            problems.append((number, header[index["pcode"]], "", _("the p-code is missing")))
            continue
        if pcode in seen:
            problems.append((number, header[index["pcode"]], pcode, _("p-code given twice")))
        seen.add(pcode)
        values = {"pcode": pcode[:32], "name": (name or pcode)[:200],
                  "place_class": cell("place_class")[:40],
                  "file_unit": next((cell(c).upper() for c in ADMIN_COLUMNS
                                     if cell(c) and cell(c).upper() != "NA"), "")}  # fmt: skip
        for field, low, high in (("longitude", -180, 180), ("latitude", -90, 90)):
            try:
                value = _number(cell(field))
                if value is None or not low <= value <= high:
                    raise ValueError
                values[field] = value
            except ValueError:
                problems.append((number, header[index[field]], cell(field),
                                 _("not a %s in decimal degrees (WGS 84)") % field))  # fmt: skip
        try:
            population = _number(cell("population"))
            if population is not None and population < 0:
                raise ValueError
            values["population"] = int(population) if population is not None else None
        except ValueError:
            problems.append((number, header[index["population"]], cell("population"),
                             _("not a number of people")))  # fmt: skip
        found.append(values)
    if problems:
        raise SettlementError(problems)
    return found


@transaction.atomic
def import_settlements(path: Path | str, version: CodVersion | None = None) -> Report:
    """Import (or update by p-code) the settlements of a file into a COD version (the
    active one by default); each is placed in the finest admin unit holding it."""
    path = Path(path)
    version = version or CodVersion.objects.filter(is_active=True).first()
    if version is None:
        raise SettlementError([(0, "", "", _("no active boundaries: import them first"))])
    rows = read_settlements(path)
    units = finest_units([r["longitude"] for r in rows], [r["latitude"] for r in rows])
    known = dict(Settlement.objects.filter(cod_version=version).values_list("pcode", "pk"))
    report = Report()
    new, changed = [], []
    in_version = AdminUnit.objects.filter(cod_version=version)
    valid_units = set(in_version.values_list("pk", flat=True))
    by_pcode = dict(in_version.values_list("pcode", "pk"))
    region = _regions(in_version)
    for row, unit in zip(rows, units, strict=True):
        by_point = int(unit) if int(unit) in valid_units else None
        by_file = by_pcode.get(row.pop("file_unit"))
        # The file's own p-code places it; where its point lies elsewhere it is flagged.
        row["admin_unit_id"] = by_file or by_point
        row["point_admin_unit_id"] = by_point if by_file and by_point != by_file else None
        report.outside += by_point is None
        if row["point_admin_unit_id"] is not None:
            report.disagree += 1
            report.other_region += region.get(by_point) != region.get(by_file)
        if row["pcode"] in known:
            changed.append(Settlement(pk=known[row["pcode"]], cod_version=version, **row))
        else:
            new.append(Settlement(cod_version=version, **row))
    Settlement.objects.bulk_create(new, batch_size=2000)
    Settlement.objects.bulk_update(
        changed, ["name", "admin_unit", "point_admin_unit", "longitude", "latitude",
                  "place_class", "population"],
        batch_size=2000,
    )  # fmt: skip
    report.created, report.updated = len(new), len(changed)
    return report


def _regions(units) -> dict[int, int]:
    """Each unit's region (level 1 ancestor), by id."""
    parents = dict(units.values_list("pk", "parent_id"))
    levels = dict(units.values_list("pk", "level"))
    regions = {}
    for pk in parents:
        unit = pk
        while unit is not None and levels.get(unit, 0) > 1:
            unit = parents.get(unit)
        regions[pk] = unit
    return regions
