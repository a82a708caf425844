"""Kafo's references as imports see them: admin units by p-code or by name, and
organisations by fuzzy name. Shared by every HXL importer."""

import datetime
import re

from django.utils.translation import gettext as _

from kafo.actors.matching import OrganisationMatcher, normalise
from kafo.actors.models import Organisation, OrganisationType
from kafo.geo.models import AdminUnit
from kafo.interop.batches import RowResult
from kafo.interop.hxl import HxlTable

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d")


def parse_date(text: str) -> datetime.date | None:
    """A date as partners write it (2025-01-31, 31/01/2025, 2025/01/31); None if not."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


class Places:
    """Admin units of the active boundaries named by a row: `#adm+code` (a list),
    `#adm1..3+code`, or `#adm1..3+name` where no code is given (accents and case folded)."""

    def __init__(self, table: HxlTable):
        self.table = table
        self.units = {
            unit.pcode.upper(): unit
            for unit in AdminUnit.objects.filter(cod_version__is_active=True)
        }
        self.by_name: dict[tuple[int, str], list[AdminUnit]] = {}
        for unit in self.units.values():
            self.by_name.setdefault((unit.level, normalise(unit.name)), []).append(unit)
        c = table.column
        self.any_level = c("#adm+code")
        self.levels = {
            level: (c(f"#adm{level}+code"), c(f"#adm{level}", ("code",))) for level in (1, 2, 3)
        }
        self.place_columns = [self.any_level, *(i for pair in self.levels.values() for i in pair)]
        self.resolved: dict[tuple[str, ...], tuple[list[AdminUnit], list[dict]]] = {}

    @property
    def given(self) -> bool:
        """Whether the table has any admin unit column."""
        return self.any_level is not None or any(
            i is not None for pair in self.levels.values() for i in pair
        )

    def unit_for_code(self, code: str) -> tuple[AdminUnit | None, str | None]:
        """(unit, None) or (None, the reason)."""
        unit = self.units.get(code.upper())
        return (unit, None) if unit else (None, _("p-code not in the active boundaries"))

    def unit_for_name(self, level: int, name: str) -> tuple[AdminUnit | None, str | None]:
        """The one unit of this level with this name (accents and case folded)."""
        found = self.by_name.get((level, normalise(name)), [])
        if len(found) == 1:
            return found[0], None
        reason = (
            _("no admin unit of level %(level)d is named so")
            if not found
            else _("several admin units of level %(level)d have this name")
        )
        return None, reason % {"level": level}

    def _by_code(self, result: RowResult, column: int | None, code: str) -> AdminUnit | None:
        unit, reason = self.unit_for_code(code)
        if reason:
            result.error(self.table, column, code, reason)
        return unit

    def resolve(self, result: RowResult, row: list[str]) -> list[AdminUnit]:
        """The finest units the row names (Mopti and its cercle → the cercle); errors
        for unknown p-codes and names. A 5W repeats its places: each combination of place
        cells is resolved once."""
        key = tuple(_cell(row, i) for i in self.place_columns)
        if key not in self.resolved:
            found = RowResult(0)
            self.resolved[key] = (self._resolve(found, row), found.errors)
        units, errors = self.resolved[key]
        result.errors.extend(dict(error) for error in errors)
        return units

    def _resolve(self, result: RowResult, row: list[str]) -> list[AdminUnit]:
        places = []
        for code in re.split(r"[\s,;]+", _cell(row, self.any_level)):
            if code and (unit := self._by_code(result, self.any_level, code)):
                places.append(unit)
        for level, (code_column, name_column) in self.levels.items():
            code, name = _cell(row, code_column), _cell(row, name_column)
            if code:
                if unit := self._by_code(result, code_column, code):
                    places.append(unit)
            elif name:
                unit, reason = self.unit_for_name(level, name)
                if unit:
                    places.append(unit)
                else:
                    result.error(self.table, name_column, name, reason)
        return [
            u for u in places if not any(o is not u and o.pcode.startswith(u.pcode) for o in places)
        ]


class Organisations:
    """Organisations by name: a certain match is the known organisation; otherwise a new
    one is made, flagged for review (the review queue shows its close matches)."""

    def __init__(self):
        self.matcher = OrganisationMatcher.from_queryset(Organisation.objects.all())
        self.known = {o.pk: o for o in Organisation.objects.all()}
        self.new: dict[str, Organisation] = {}
        self.seen: dict[str, Organisation] = {}

    def resolve(self, name: str) -> Organisation:
        if name in self.seen:  # a file repeats its organisations: match each name once
            return self.seen[name]
        self.seen[name] = self._resolve(name)
        return self.seen[name]

    def _resolve(self, name: str) -> Organisation:
        match = self.matcher.match(name)
        if match.certain:
            return self.known[match.organisation_id]
        key = normalise(name)
        if key not in self.new:
            # An unknown organisation never drops the row: it is created and flagged.
            self.new[key] = Organisation(
                name=name[:255], type=OrganisationType.INTERNATIONAL_NGO, needs_review=True
            )
        return self.new[key]

    def save_new(self) -> None:
        """Save the organisations made for this batch (inside its transaction)."""
        for organisation in self.new.values():
            if organisation.pk is None:
                organisation.save()
