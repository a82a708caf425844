"""Kafo's references as imports see them: admin units by p-code or by name, and
organisations by fuzzy name. Shared by every HXL importer."""

import datetime
import operator
import re
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from kafo.actors.matching import OrganisationMatcher, normalise
from kafo.actors.models import Organisation, OrganisationType
from kafo.geo.models import AdminUnit, CodVersion
from kafo.geo.names import NameIndex, fold, sounds
from kafo.interop.batches import OptionError, RowResult
from kafo.interop.dates import read_date
from kafo.interop.hxl import HxlTable


def parse_date(text: str) -> datetime.date | None:
    """A date as partners write it (2025-01-31, 31/01/2025, 2025/01/31, a date-time, an
    Excel serial number); None if not one day."""
    return read_date(text)


# Words for the CFA franc of West Africa that are not its ISO code.
CURRENCY_WORDS = {"FCFA": "XOF", "CFA": "XOF", "F CFA": "XOF", "FRANC CFA": "XOF"}


def currency_code(text: str) -> tuple[str, str | None]:
    """(ISO 4217 code, None) or (text, the reason): "fcfa" → XOF, "eur" → EUR."""
    code = " ".join(text.strip().upper().split())
    code = CURRENCY_WORDS.get(code, code)
    if pycountry.currencies.get(alpha_3=code) is None:
        return text, _("not an ISO 4217 currency code (USD, EUR, XOF…)")
    return code, None


class UnknownVersion(OptionError):
    """A COD version asked for that is not stored; the message lists those that are."""


def cod_version_named(name: str | None) -> CodVersion | None:
    """The stored COD version of this name (of an active country), or None for none asked;
    UnknownVersion when no version has this name."""
    if not name:
        return None
    countries = CodVersion.objects.filter(is_active=True).values_list("country", flat=True)
    found = CodVersion.objects.filter(name=name, country__in=list(countries)).first()
    if found is None:
        stored = ", ".join(CodVersion.objects.values_list("name", flat=True)) or "—"
        raise UnknownVersion(
            _("no COD version named %(name)s (stored: %(stored)s)")
            % {"name": name, "stored": stored}
        )
    return found


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


class Places:
    """Admin units of the active boundaries named by a row: `#adm+code` (a list),
    `#adm1..3+code`, or `#adm1..3+name`.

    A code and a name given together must agree (accents, case and spelling variants
    folded, other names included): a p-code of another COD version would otherwise land
    on another unit. Names are matched within the units of the row's coarser level, and
    close spellings are taken and listed in the batch's notes for a person to check.
    With `version` (a CodVersion that is not active), codes are read in that version and
    mapped to the active unit that is the same (same level, name and parent)."""

    def __init__(self, table: HxlTable, version: CodVersion | None = None):
        self.table = table
        active = list(AdminUnit.objects.active().without_geometry())
        self.units = {unit.pcode.upper(): unit for unit in active}
        self.by_id = {unit.pk: unit for unit in active}
        self.countries = {
            code for code in CodVersion.objects.filter(is_active=True).values_list(
                "country", flat=True)
        }  # fmt: skip
        self.prefixes = {unit.pcode[:2].upper() for unit in active if unit.level == 0} or {
            unit.pcode[:2].upper() for unit in active
        }
        self.version = version if version is not None and not version.is_active else None
        self.source_units: dict[str, AdminUnit] = {}
        if self.version is not None:
            self.source_units = {
                unit.pcode.upper(): unit
                for unit in AdminUnit.objects.filter(cod_version=self.version).without_geometry()
            }
        self.indexes: dict[tuple[int, int | None], NameIndex] = {}
        self.close: dict[tuple[int, str], AdminUnit] = {}  # close names taken, to check
        self.code_mismatches = 0  # rows whose code and name disagree, for the version hint
        self.pairs: set[tuple[int, str, str]] = set()  # (level, code, name) the file gives
        c = table.column
        self.any_level = c("#adm+code")
        self.levels = {
            level: (c(f"#adm{level}+code"), c(f"#adm{level}", ("code",))) for level in (1, 2, 3)
        }
        self.country = c("#country+code") if c("#country+code") is not None else c("#country")
        self.place_columns = [
            self.any_level, self.country, *(i for pair in self.levels.values() for i in pair)
        ]  # fmt: skip
        self.resolved: dict[Any, tuple[list[AdminUnit], list[dict]]] = {}
        given = [i for i in self.place_columns if i is not None]
        self._place_cells = operator.itemgetter(*given) if given else None

    @property
    def given(self) -> bool:
        """Whether the table has any admin unit column."""
        return self.any_level is not None or any(
            i is not None for pair in self.levels.values() for i in pair
        )

    def _index(self, level: int, within: AdminUnit | None) -> NameIndex:
        key = (level, within.pk if within else None)
        if key not in self.indexes:
            units = [u for u in self.by_id.values() if u.level == level]
            if within is not None:
                units = [u for u in units if self._inside(u, within)]
            self.indexes[key] = NameIndex([(u.pk, u.name, u.alt_names or []) for u in units])
        return self.indexes[key]

    def _inside(self, unit: AdminUnit, ancestor: AdminUnit) -> bool:
        while unit is not None:
            if unit.pk == ancestor.pk:
                return True
            unit = self.by_id.get(unit.parent_id)
        return False

    def _other_country(self, code: str) -> str | None:
        """The reason a p-code is another country's, or None."""
        prefix = code[:2].upper()
        if not self.prefixes or prefix in self.prefixes:
            return None
        country = pycountry.countries.get(alpha_2=prefix)
        if country is None:
            return None
        return _("a p-code of %(country)s, not of the active boundaries (%(active)s)") % {
            "country": country.name, "active": ", ".join(sorted(self.countries))
        }  # fmt: skip

    def unit_for_code(self, code: str, name: str = "") -> tuple[AdminUnit | None, str | None]:
        """(unit, None) or (None, the reason): the unit of the code, if `name` (when given)
        names it too."""
        if self.version is not None:
            return self._mapped(code, name)
        unit = self.units.get(code.upper())
        if unit is None:
            reason = self._other_country(code) or _("p-code not in the active boundaries")
            return None, reason
        if name:
            self.pairs.add((unit.level, code.upper(), fold(name)))
        if name and not self._index(unit.level, None).agrees(unit.pk, name):
            self.code_mismatches += 1
            return None, _(
                "%(code)s is %(unit)s in the active boundaries (%(version)s), not “%(name)s”: "
                "is the file of another COD version?"
            ) % {"code": code, "unit": unit.name, "version": unit.cod_version.name,
                 "name": name}  # fmt: skip
        return unit, None

    def _mapped(self, code: str, name: str) -> tuple[AdminUnit | None, str | None]:
        source = self.source_units.get(code.upper())
        version = self.version.name
        if source is None:
            return None, _("p-code not in the COD version %s") % version
        if name and fold(name) != fold(source.name) and sounds(name) != sounds(source.name):
            return None, _(
                "%(code)s is %(unit)s in the COD version %(version)s, not “%(name)s”"
            ) % {"code": code, "unit": source.name, "version": version, "name": name}
        unit = self.same_unit(source)
        if unit is None:
            return None, _(
                "%(code)s (%(unit)s, COD %(version)s) has no same unit in the active "
                "boundaries (same level, name and parent)"
            ) % {"code": code, "unit": source.name, "version": version}  # fmt: skip
        return unit, None

    def same_unit(self, source: AdminUnit) -> AdminUnit | None:
        """The active unit that is `source` of another version: same level, same name
        (spelling folded) and the same parent, or None."""
        parent = None
        if source.parent_id is not None:
            parent_source = AdminUnit.objects.without_geometry().filter(pk=source.parent_id).first()
            if parent_source is not None and parent_source.level > 0:
                parent = self.same_unit(parent_source)
                if parent is None:
                    return None
        if source.level == 0:
            return next((u for u in self.by_id.values() if u.level == 0
                         and u.pcode[:2].upper() == source.pcode[:2].upper()), None)  # fmt: skip
        found = self._index(source.level, parent).match(source.name)
        return self.by_id.get(found.unit) if found.how == "exact" else None

    def unit_for_name(
        self, level: int, name: str, within: AdminUnit | None = None
    ) -> tuple[AdminUnit | None, str | None]:
        """The one unit of this level (inside `within`, when given) with this name."""
        found = self._index(level, within).match(name)
        if found.unit is None and within is not None:
            elsewhere = self._index(level, None).match(name)
            if elsewhere.unit is not None:
                return None, _("%(unit)s is not in %(parent)s, given in the same row") % {
                    "unit": self.by_id[elsewhere.unit], "parent": within.name
                }  # fmt: skip
        if found.unit is not None:
            unit = self.by_id[found.unit]
            if found.how == "close":
                self.close.setdefault((level, name), unit)
            return unit, None
        if found.how == "several":
            reason = _("several admin units of level %(level)d have this name")
        else:
            reason = _("no admin unit of level %(level)d is named so")
            if within is not None:
                reason = _("no admin unit of level %(level)d in %(parent)s is named so")
            if found.suggestion is not None:
                reason += " " + _("(closest: %s)") % self.by_id[found.suggestion]
        return None, reason % {"level": level, "parent": within.name if within else ""}

    def _by_code(
        self, result: RowResult, column: int | None, code: str, name: str = ""
    ) -> AdminUnit | None:
        unit, reason = self.unit_for_code(code, name)
        if reason:
            known = self.source_units if self.version is not None else self.units
            value = f"{code} / {name}" if name and code.upper() in known else code
            result.error(self.table, column, value, reason)
        return unit

    def resolve(self, result: RowResult, row: list[str]) -> list[AdminUnit]:
        """The finest units the row names (Mopti and its cercle → the cercle); errors
        for unknown p-codes and names, codes and names that disagree, and levels that do
        not nest. A 5W repeats its places: each combination of place cells is resolved
        once."""
        try:  # the row's place cells as they are (a short row: padded and stripped)
            key = self._place_cells(row) if self._place_cells else ()
        except IndexError:
            key = tuple(_cell(row, i) for i in self.place_columns)
        if key not in self.resolved:
            found = RowResult(0)
            self.resolved[key] = (self._resolve(found, row), found.errors)
        units, errors = self.resolved[key]
        if errors:
            result.errors.extend(dict(error) for error in errors)
        return units

    def _resolve(self, result: RowResult, row: list[str]) -> list[AdminUnit]:
        country = _cell(row, self.country)
        if country and self.countries and (reason := self._foreign(country)):
            result.error(self.table, self.country, country, reason)
            return []
        places = []
        for code in re.split(r"[\s,;]+", _cell(row, self.any_level)):
            if code and (unit := self._by_code(result, self.any_level, code)):
                places.append(unit)
        coarser: list[AdminUnit] = []
        for level, (code_column, name_column) in self.levels.items():
            code, name = _cell(row, code_column), _cell(row, name_column)
            found = []
            if code:
                # Kafo's exports list an activity's units of one level in one cell.
                codes = code.split()
                names = [n.strip() for n in name.split(";")] if name else [""] * len(codes)
                if len(names) != len(codes):
                    result.error(self.table, name_column, name,
                                 _("as many names as p-codes, separated by “;”"))  # fmt: skip
                    names = [""] * len(codes)
                for one_code, one_name in zip(codes, names, strict=True):
                    if unit := self._by_code(result, code_column, one_code, one_name):
                        found.append((unit, code_column, one_code))
            elif name:
                unit, reason = self.unit_for_name(level, name, coarser[0] if len(coarser) == 1
                                                  else None)  # fmt: skip
                if reason:
                    result.error(self.table, name_column, name, reason)
                else:
                    found.append((unit, name_column, name))
            kept = []
            for unit, column, value in found:
                if coarser and not any(self._inside(unit, parent) for parent in coarser):
                    result.error(
                        self.table, column, value,
                        _("%(unit)s is not in %(parent)s, given in the same row")
                        % {"unit": unit.name, "parent": ", ".join(p.name for p in coarser)},
                    )  # fmt: skip
                    continue
                kept.append(unit)
            places.extend(kept)
            coarser = kept or coarser
        return [u for u in places if not any(o is not u and self._inside(o, u) for o in places)]

    def _foreign(self, country: str) -> str | None:
        """The reason a row's country is not one of the active boundaries', or None."""
        found = None
        try:
            found = pycountry.countries.lookup(country)
        except LookupError:
            try:
                found = pycountry.countries.search_fuzzy(country)[0]
            except LookupError:
                return None
        if found.alpha_3 in self.countries:
            return None
        return _("a row of %(country)s, not of the active boundaries (%(active)s)") % {
            "country": found.name, "active": ", ".join(sorted(self.countries))
        }  # fmt: skip

    def notes(self) -> list[dict]:
        """What the batch should tell: the COD version the file seems to use, and names
        taken as close spellings, to check."""
        notes = []
        if hint := self.version_hint():
            notes.append({"count": self.code_mismatches, "reason": hint})
        if not self.close:
            return notes
        taken = ", ".join(
            f"« {name} » → {unit.name} ({unit.pcode})"
            for (_level, name), unit in sorted(self.close.items(), key=lambda i: i[0][1])
        )
        notes.append({"count": len(self.close),
                      "reason": _("names read as a close spelling of the boundaries' name, "
                                  "to check: %s") % taken})  # fmt: skip
        return notes

    def version_hint(self) -> str | None:
        """When codes and names disagree, the stored COD version the file's (level, code,
        name) triples agree with best, as advice; None when the active one is best."""
        if not self.code_mismatches or not self.pairs:
            return None
        best, best_score = None, self._agreeing(AdminUnit.objects.active())
        for version in CodVersion.objects.filter(
            is_active=False, country__in=self.countries
        ):  # fmt: skip
            score = self._agreeing(AdminUnit.objects.filter(cod_version=version))
            if score > best_score:
                best, best_score = version, score
        if best is None:
            return None
        return _(
            "%(agree)d of the file's %(pairs)d p-codes and names agree with the COD version "
            "%(version)s, not with the active one: import it with --cod-version %(version)s "
            "(its codes are then mapped to the active units that are the same)."
        ) % {"agree": best_score, "pairs": len(self.pairs), "version": best.name}

    def _agreeing(self, units) -> int:
        names = {
            (level, pcode.upper()): [fold(name), *(fold(a) for a in alt or [])]
            for level, pcode, name, alt in units.values_list("level", "pcode", "name", "alt_names")
        }
        return sum(1 for level, code, name in self.pairs if name in names.get((level, code), ()))


ORGANISATION_NAME_LENGTH = 255  # Organisation.name's column
IATI_IDENTIFIER_LENGTH = 100  # Organisation.iati_identifier's column


class OrganisationNameTooLong(ValueError):
    """A name longer than Kafo keeps: the row is refused, never the name cut."""


def name_too_long(name: str) -> str | None:
    """The reason an organisation name cannot be kept whole, or None."""
    if len(name) > ORGANISATION_NAME_LENGTH:
        return _("an organisation name of more than %d characters") % ORGANISATION_NAME_LENGTH
    return None


class Organisations:
    """Organisations by name: a certain match is the known organisation; otherwise a new
    one is made, flagged for review (the review queue shows its close matches)."""

    def __init__(self):
        self.matcher = OrganisationMatcher.from_queryset(Organisation.objects.all())
        self.known = {o.pk: o for o in Organisation.objects.all()}
        self.new: dict[str, Organisation] = {}
        self.seen: dict[str, Organisation] = {}

    def resolve(self, name: str) -> Organisation:
        """The organisation a name means (made and flagged for review when unknown).
        Raises OrganisationNameTooLong for a name Kafo cannot keep whole."""
        if (reason := name_too_long(name)) is not None:
            raise OrganisationNameTooLong(reason)
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
                name=name, type=OrganisationType.INTERNATIONAL_NGO, needs_review=True
            )
        return self.new[key]

    def save_new(self) -> None:
        """Save the organisations made for this batch (inside its transaction)."""
        for organisation in self.new.values():
            if organisation.pk is None:
                organisation.save()
