"""Write a checked boundary set to the database as a new COD version, all or nothing."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.geo.boundaries import BoundarySet, LevelTable, Problem, read_boundaries
from kafo.geo.geometry import unit_geometry_fields
from kafo.geo.models import AdminUnit, CodVersion


@dataclass
class BoundaryImportReport:
    """What `kafo import-boundaries --json` prints."""

    version: str
    country: str = ""
    levels: dict[int, int] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    activated: bool = False
    # Records placed in the previous version's units (kafo.geo.rehoming).
    moved_by_pcode: int = 0
    moved_by_point: int = 0
    to_review: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "country": self.country,
            "levels": {str(level): count for level, count in sorted(self.levels.items())},
            "activated": self.activated,
            "records": {
                "moved_by_pcode": self.moved_by_pcode,
                "moved_by_point": self.moved_by_point,
                "to_review": self.to_review,
            },
            "errors": [problem.as_dict() for problem in self.errors],
        }


def default_version_name(path: Path) -> str:
    """A version named after the file or folder it came from."""
    return Path(path).resolve().stem or "cod-ab"


def write_boundary_set(
    boundaries: BoundarySet,
    version_name: str,
    *,
    source: str = "",
    activate: bool = True,
    is_demo: bool = False,
    population: dict[str, tuple[int, int, str]] | None = None,
) -> CodVersion:
    """Create the version and its units, level by level, in one transaction."""
    population = population or {}
    with transaction.atomic():
        version = CodVersion.objects.create(
            country=boundaries.country_iso3, name=version_name, source=source, is_demo=is_demo
        )
        parent_ids: dict[str, int] = {}
        for level in sorted(boundaries.levels):
            table: LevelTable = boundaries.levels[level]
            geometry_fields = unit_geometry_fields(table.geometries, level)
            units = []
            for i, pcode in enumerate(table.pcodes):
                people, year, people_source = population.get(pcode, (None, None, ""))
                units.append(
                    AdminUnit(
                        cod_version=version,
                        level=level,
                        pcode=pcode,
                        name=table.names[i],
                        alt_names=table.alt_names[i],
                        parent_id=parent_ids.get(table.parent_pcodes[i]),
                        population=people,
                        population_year=year,
                        population_source=people_source,
                        **geometry_fields[i],
                    )
                )
            AdminUnit.objects.bulk_create(units, batch_size=500)
            parent_ids = dict(
                AdminUnit.objects.filter(cod_version=version, level=level).values_list(
                    "pcode", "id"
                )
            )
        version.rehoming = version.activate() if activate else None
    return version


def import_boundaries(
    path: Path | str,
    version_name: str | None = None,
    *,
    country: str | None = None,
    activate: bool = True,
) -> BoundaryImportReport:
    """Import the COD-AB under `path` as a new version; on any problem, write nothing."""
    path = Path(path)
    version_name = version_name or default_version_name(path)
    boundaries = read_boundaries(path, country)
    report = BoundaryImportReport(
        version=version_name,
        country=boundaries.country_iso3,
        levels=boundaries.counts(),
        errors=list(boundaries.problems),
    )
    if (
        boundaries.country_iso3
        and CodVersion.objects.filter(country=boundaries.country_iso3, name=version_name).exists()
    ):
        report.errors.append(
            Problem(
                str(path),
                None,
                _("version %(version)s of %(country)s already exists; choose another --version")
                % {"version": version_name, "country": boundaries.country_iso3},
            )
        )
    if report.errors:
        return report
    version = write_boundary_set(boundaries, version_name, source=str(path), activate=activate)
    report.activated = activate
    if version.rehoming is not None:
        report.moved_by_pcode = version.rehoming.by_pcode
        report.moved_by_point = version.rehoming.by_point
        report.to_review = version.rehoming.to_review
    return report
