"""Read and check administrative boundaries (OCHA COD-AB) from files.

Reads shapefiles, GeoPackages, GeoJSON and zip archives of them, a file or a folder
with one file per level. Finds the p-code and name columns whatever their spelling
(`admin1Pcod`, `ADM1_PCODE`, `adm1_pcode`...), reprojects to EPSG:4326, derives
levels that are only named in finer files, and checks the p-code rules and the
geometries. Nothing here touches the database: the importer writes a set only when
`problems` is empty.
"""

import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pycountry
import pyogrio
import pyogrio.raw
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS

from kafo.archives import ArchiveError, check_archive
from kafo.geo.geometry import WGS84, reproject
from kafo.geo.models import MAX_LEVEL, AdminUnit

VECTOR_SUFFIXES = {".shp", ".gpkg", ".geojson", ".json", ".fgb", ".zip"}
POLYGON_TYPES = {shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON}

# Column names are compared lower-cased with everything but letters and digits removed.
PCODE_COLUMN = re.compile(r"^adm(?:in)?([0-9])(?:pcod|pcode|code)$")
NAME_COLUMN = re.compile(r"^adm(?:in)?([0-9])(name|nom|fr|en|es|pt|ar)$")
ALT_NAME_COLUMN = re.compile(r"^adm(?:in)?([0-9])(?:alt[a-z0-9]*|al[0-9]+|ref[a-z]*)$")
NAME_PREFERENCE = ["name", "nom", "fr", "en", "es", "pt", "ar"]


@dataclass
class Problem:
    """One reason a boundary set cannot be imported, and where."""

    file: str
    feature: int | None
    reason: str

    def as_dict(self) -> dict:
        return {"file": self.file, "feature": self.feature, "reason": self.reason}

    def __str__(self) -> str:
        if self.feature is None:
            return f"{self.file}: {self.reason}"
        return _("%(file)s, feature %(feature)d: %(reason)s") % {
            "file": self.file,
            "feature": self.feature,
            "reason": self.reason,
        }


@dataclass
class LevelTable:
    """The units of one level, in file order."""

    level: int
    source: str
    pcodes: np.ndarray
    names: np.ndarray
    alt_names: list[list[str]]
    parent_pcodes: np.ndarray
    geometries: np.ndarray
    feature_numbers: np.ndarray

    def __len__(self) -> int:
        return len(self.pcodes)


@dataclass
class Layer:
    """One layer as read, before it becomes a LevelTable."""

    source: str
    level: int
    columns: dict
    fields: dict
    geometries: np.ndarray


@dataclass
class BoundarySet:
    """Every level of one country's boundaries, with the problems found."""

    country_iso2: str = ""
    country_iso3: str = ""
    levels: dict[int, LevelTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[int, int]:
        return {level: len(table) for level, table in sorted(self.levels.items())}


def find_sources(path: Path) -> list[str]:
    """The vector datasets in a file, a folder or a zip archive, as GDAL paths."""
    if path.is_dir():
        return [str(p) for p in sorted(path.iterdir()) if p.suffix.lower() in VECTOR_SUFFIXES]
    if path.suffix.lower() == ".zip":
        check_archive(path)  # ArchiveError (a ValueError) with the reason
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
        return [
            f"/vsizip/{path}/{member}"
            for member in sorted(members)
            if Path(member).suffix.lower() in VECTOR_SUFFIXES - {".zip"}
        ]
    return [str(path)]


def _normalise_column(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def detect_columns(columns: list[str]) -> dict:
    """Map each level to its p-code, name and alternative-name columns."""
    pcode, names, alt = {}, defaultdict(dict), defaultdict(list)
    for column in columns:
        key = _normalise_column(column)
        if match := PCODE_COLUMN.match(key):
            pcode.setdefault(int(match[1]), column)
        elif match := NAME_COLUMN.match(key):
            names[int(match[1])].setdefault(match[2], column)
        elif match := ALT_NAME_COLUMN.match(key):
            alt[int(match[1])].append(column)
    name = {
        level: next(options[kind] for kind in NAME_PREFERENCE if kind in options)
        for level, options in names.items()
    }
    # Names in other languages than the chosen one are alternative names too.
    for level, options in names.items():
        alt[level] = [c for c in options.values() if c != name[level]] + alt[level]
    return {"pcode": pcode, "name": name, "alt": dict(alt)}


def _text_column(values: np.ndarray | None, size: int) -> np.ndarray:
    if values is None:
        return np.full(size, "", dtype=object)
    return np.array(["" if v is None else str(v).strip() for v in values], dtype=object)


def read_layers(path: Path) -> tuple[list[Layer], list[Problem]]:
    """Read every layer of the datasets under `path`."""
    layers, problems = [], []
    if not path.exists():
        return [], [Problem(str(path), None, _("no such file or folder"))]
    try:
        sources = find_sources(path)
    except zipfile.BadZipFile:
        return [], [Problem(str(path), None, _("not a valid zip archive"))]
    except ArchiveError as error:
        return [], [Problem(str(path), None, str(error))]
    if not sources:
        return [], [Problem(str(path), None, _("no shapefile, GeoPackage or GeoJSON found here"))]
    for source in sources:
        try:
            layer_names = [row[0] for row in pyogrio.list_layers(source)]
        except Exception as error:
            problems.append(Problem(source, None, _("cannot read: %s") % error))
            continue
        for layer_name in layer_names:
            label = source if len(layer_names) == 1 else f"{source}:{layer_name}"
            try:
                meta, _fids, wkb, field_data = pyogrio.raw.read(source, layer=layer_name)
            except Exception as error:
                problems.append(Problem(label, None, _("cannot read: %s") % error))
                continue
            columns = list(meta["fields"])
            detected = detect_columns(columns)
            if not detected["pcode"]:
                problems.append(
                    Problem(
                        label,
                        None,
                        _(
                            "no p-code column found (expected a name like admin1Pcod, "
                            "ADM1_PCODE or adm1_pcode); columns: %s"
                        )
                        % ", ".join(columns),
                    )
                )
                continue
            level = max(detected["pcode"])
            if level not in detected["name"]:
                problems.append(
                    Problem(
                        label,
                        None,
                        _(
                            "no name column for level %(level)d (expected admin%(level)dName, "
                            "ADM%(level)d_FR or ADM%(level)d_EN)"
                        )
                        % {"level": level},
                    )
                )
                continue
            geometries = shapely.from_wkb(wkb, on_invalid="ignore")
            crs = meta.get("crs")
            if crs and CRS.from_user_input(crs) != WGS84:
                try:
                    geometries = reproject(geometries, CRS.from_user_input(crs))
                except Exception as error:
                    problems.append(
                        Problem(
                            label,
                            None,
                            _("cannot reproject from %(crs)s: %(error)s")
                            % {"crs": crs, "error": error},
                        )
                    )
                    continue
            layers.append(
                Layer(
                    source=label,
                    level=level,
                    columns=detected,
                    fields=dict(zip(columns, field_data, strict=True)),
                    geometries=geometries,
                )
            )
    return layers, problems


def _country(layers: list[Layer], requested: str | None) -> tuple[str, str, list[Problem]]:
    """ISO2 and ISO3 codes of the country, from the request or the p-codes themselves."""
    if requested:
        code = requested.strip().upper()
        country = pycountry.countries.get(alpha_3=code) or pycountry.countries.get(alpha_2=code)
        if country is None:
            return "", "", [Problem(requested, None, _("unknown country code %s") % requested)]
        return country.alpha_2, country.alpha_3, []
    prefixes: Counter[str] = Counter()
    for layer in layers:
        column = (
            layer.columns["pcode"].get(0) or layer.columns["pcode"][min(layer.columns["pcode"])]
        )
        prefixes.update(str(v)[:2].upper() for v in layer.fields[column] if v)
    ranked = prefixes.most_common(2)
    # The most common prefix names the country; the odd p-codes out are then reported
    # one by one by the prefix rule, rather than failing the whole file here.
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return (
            "",
            "",
            [
                Problem(
                    layers[0].source,
                    None,
                    _("cannot tell the country from the p-codes (prefixes: %s); give --country")
                    % ", ".join(sorted(prefixes)),
                )
            ],
        )
    prefix = ranked[0][0]
    country = pycountry.countries.get(alpha_2=prefix)
    if country is None:
        return "", "", [Problem(layers[0].source, None, _("unknown country prefix %s") % prefix)]
    return country.alpha_2, country.alpha_3, []


def _level_table(layer: Layer) -> LevelTable:
    columns, size, level = layer.columns, len(layer.geometries), layer.level
    alt_values = [_text_column(layer.fields[c], size) for c in columns["alt"].get(level, [])]
    names = _text_column(layer.fields[columns["name"][level]], size)
    alt_names = [
        sorted({v[i] for v in alt_values if v[i] and v[i] != names[i]}) for i in range(size)
    ]
    parent_column = columns["pcode"].get(level - 1)
    return LevelTable(
        level=level,
        source=layer.source,
        pcodes=np.char.upper(
            _text_column(layer.fields[columns["pcode"][level]], size).astype(str)
        ).astype(object),
        names=names,
        alt_names=alt_names,
        parent_pcodes=(
            np.char.upper(_text_column(layer.fields[parent_column], size).astype(str)).astype(
                object
            )
            if parent_column
            else np.full(size, "", dtype=object)
        ),
        geometries=layer.geometries,
        feature_numbers=np.arange(1, size + 1),
    )


def _union_of_valid(geometries: np.ndarray) -> shapely.Geometry:
    """Union of the valid polygons only: broken ones are reported on their own level."""
    geometries = np.asarray(geometries, dtype=object)
    keep = ~shapely.is_missing(geometries)
    keep[keep] = shapely.is_valid(geometries[keep])
    return shapely.union_all(geometries[keep])


def _derived_level(level: int, finer: Layer) -> tuple[LevelTable, list[Problem]]:
    """Units of `level` named in a finer layer, their geometry the union of their parts."""
    columns = finer.columns
    size = len(finer.geometries)
    pcodes = np.char.upper(_text_column(finer.fields[columns["pcode"][level]], size).astype(str))
    name_column = columns["name"].get(level)
    names = _text_column(finer.fields[name_column], size) if name_column else pcodes
    parent_column = columns["pcode"].get(level - 1)
    parents = (
        np.char.upper(_text_column(finer.fields[parent_column], size).astype(str))
        if parent_column
        else np.full(size, "", dtype=object)
    )
    unique, first, inverse = np.unique(pcodes, return_index=True, return_inverse=True)
    inconsistent = [
        int(i) + 1
        for i in range(size)
        if names[i] != names[first[inverse[i]]] or parents[i] != parents[first[inverse[i]]]
    ]
    geometries = np.array(
        [_union_of_valid(finer.geometries[inverse == i]) for i in range(len(unique))],
        dtype=object,
    )
    table = LevelTable(
        level=level,
        source=_("%s (derived)") % finer.source,
        pcodes=unique.astype(object),
        names=np.asarray(names, dtype=object)[first],
        alt_names=[[] for _ in unique],
        parent_pcodes=np.asarray(parents, dtype=object)[first],
        geometries=geometries,
        feature_numbers=first + 1,
    )
    problems = [
        Problem(
            finer.source,
            feature,
            _(
                "level %(level)d unit %(pcode)s has another name or parent here than in "
                "feature %(first)d"
            )
            % {
                "level": level,
                "pcode": pcodes[feature - 1],
                "first": first[inverse[feature - 1]] + 1,
            },
        )
        for feature in inconsistent
    ]
    return table, problems


def _check_geometries(table: LevelTable) -> list[Problem]:
    problems = []
    geometries = table.geometries
    missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    types = shapely.get_type_id(geometries)
    wrong_type = ~missing & ~np.isin(types, [int(t) for t in POLYGON_TYPES])
    invalid = ~missing & ~wrong_type & ~shapely.is_valid(geometries)
    bounds = shapely.bounds(geometries)
    outside = ~missing & (
        (bounds[:, 0] < -180) | (bounds[:, 2] > 180) | (bounds[:, 1] < -90) | (bounds[:, 3] > 90)
    )
    for i in np.flatnonzero(missing):
        problems.append(Problem(table.source, int(table.feature_numbers[i]), _("no geometry")))
    for i in np.flatnonzero(wrong_type):
        problems.append(
            Problem(
                table.source,
                int(table.feature_numbers[i]),
                _("geometry is a %s, expected a polygon") % shapely.get_type_id(geometries[i]),
            )
        )
    for i in np.flatnonzero(invalid):
        problems.append(
            Problem(
                table.source,
                int(table.feature_numbers[i]),
                _("invalid geometry: %s") % shapely.is_valid_reason(geometries[i]),
            )
        )
    for i in np.flatnonzero(outside):
        problems.append(
            Problem(
                table.source,
                int(table.feature_numbers[i]),
                _("coordinates outside longitude/latitude range: is the CRS declared?"),
            )
        )
    return problems


PCODE_LENGTH = AdminUnit._meta.get_field("pcode").max_length
NAME_LENGTH = AdminUnit._meta.get_field("name").max_length


def _check_pcodes(table: LevelTable, prefix: str, parent_pcodes: set[str]) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, pcode in enumerate(table.pcodes):
        feature = int(table.feature_numbers[i])
        if not pcode:
            problems.append(Problem(table.source, feature, _("empty p-code")))
            continue
        if not table.names[i]:
            problems.append(Problem(table.source, feature, _("empty name for %s") % pcode))
        # SQLite would store any length: the limits are checked here, for both databases.
        for value, limit in ((pcode, PCODE_LENGTH), (table.names[i] or "", NAME_LENGTH)):
            if len(value) > limit:
                problems.append(Problem(table.source, feature,
                                        _("%(value)s… is longer than %(limit)d characters")
                                        % {"value": value[:40], "limit": limit}))  # fmt: skip
        if not pcode.startswith(prefix):
            problems.append(
                Problem(
                    table.source,
                    feature,
                    _("p-code %(pcode)s does not start with the country prefix %(prefix)s")
                    % {"pcode": pcode, "prefix": prefix},
                )
            )
        if pcode in seen:
            problems.append(
                Problem(
                    table.source,
                    feature,
                    _("p-code %(pcode)s is already used by feature %(other)d of level %(level)d")
                    % {"pcode": pcode, "other": seen[pcode], "level": table.level},
                )
            )
        else:
            seen[pcode] = feature
        parent = table.parent_pcodes[i]
        if table.level == 0:
            continue
        if not parent:
            problems.append(
                Problem(table.source, feature, _("no parent found for p-code %s") % pcode)
            )
        elif not pcode.startswith(parent) or pcode == parent:
            problems.append(
                Problem(
                    table.source,
                    feature,
                    _("p-code %(pcode)s does not extend its parent's code %(parent)s")
                    % {"pcode": pcode, "parent": parent},
                )
            )
        elif parent not in parent_pcodes:
            problems.append(
                Problem(
                    table.source,
                    feature,
                    _("parent p-code %(parent)s is not among the units of level %(level)d")
                    % {"parent": parent, "level": table.level - 1},
                )
            )
    return problems


def _fill_parents_by_prefix(table: LevelTable, parent_pcodes: list[str]) -> None:
    """Where a file names no parent column, the parent is the longest p-code prefix."""
    by_length = sorted(parent_pcodes, key=len, reverse=True)
    for i, pcode in enumerate(table.pcodes):
        if not table.parent_pcodes[i]:
            table.parent_pcodes[i] = next((p for p in by_length if pcode.startswith(p)), "")


def read_boundaries(path: Path | str, country: str | None = None) -> BoundarySet:
    """Read and check the boundaries under `path`; see `BoundarySet.problems`."""
    path = Path(path)
    layers, problems = read_layers(path)
    result = BoundarySet(problems=problems)
    if not layers:
        if not problems:
            problems.append(Problem(str(path), None, _("no boundary layer found")))
        return result
    result.country_iso2, result.country_iso3, country_problems = _country(layers, country)
    problems.extend(country_problems)
    if country_problems:
        return result

    for layer in layers:
        if layer.level in result.levels:
            problems.append(
                Problem(
                    layer.source,
                    None,
                    _("level %(level)d is also in %(other)s")
                    % {"level": layer.level, "other": result.levels[layer.level].source},
                )
            )
            continue
        if layer.level > MAX_LEVEL:
            problems.append(
                Problem(layer.source, None, _("level %d is deeper than level 4") % layer.level)
            )
            continue
        result.levels[layer.level] = _level_table(layer)
    if problems:
        return result

    # Levels named only in finer files (a commune file names its cercle and region).
    for level in range(max(result.levels) - 1, -1, -1):
        if level in result.levels:
            continue
        finer = [ly for ly in layers if ly.level > level and level in ly.columns["pcode"]]
        if finer:
            table, derived_problems = _derived_level(level, min(finer, key=lambda ly: ly.level))
            result.levels[level] = table
            problems.extend(derived_problems)
        elif level == 0:
            coarsest = result.levels[min(result.levels)]
            result.levels[0] = LevelTable(
                level=0,
                source=_("%s (derived)") % coarsest.source,
                pcodes=np.array([result.country_iso2], dtype=object),
                names=np.array(
                    [pycountry.countries.get(alpha_2=result.country_iso2).name], dtype=object
                ),
                alt_names=[[]],
                parent_pcodes=np.array([""], dtype=object),
                geometries=np.array([_union_of_valid(coarsest.geometries)], dtype=object),
                feature_numbers=np.array([1]),
            )

    previous: list[str] = []
    for level in sorted(result.levels):
        table = result.levels[level]
        if level > 0:
            if level - 1 not in result.levels:
                problems.append(
                    Problem(table.source, None, _("level %d has no parent level") % level)
                )
                continue
            _fill_parents_by_prefix(table, previous)
        problems.extend(_check_pcodes(table, result.country_iso2, set(previous)))
        problems.extend(_check_geometries(table))
        previous = list(table.pcodes)
    return result
