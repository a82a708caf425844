"""5W activities from HXL: each row checked against Kafo's references, then the batch is
written whole (or only its valid rows, when asked), idempotently by source identifier."""

import datetime
import hashlib
import operator
import re
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kafo.actors.matching import normalise
from kafo.actors.permissions import can_import_for
from kafo.interop.batches import RowResult, run_batch
from kafo.interop.bulk import write_activities
from kafo.interop.dates import day_order, read_month, read_period
from kafo.interop.hxl import HxlTable, distinct_values
from kafo.interop.models import ImportBatch
from kafo.interop.numbers import column_formats, read_number
from kafo.interop.references import (
    Organisations,
    Places,
    cod_version_named,
    currency_code,
    name_too_long,
)
from kafo.response.catalogue import UnknownCode, resolve_activity_type, resolve_sector
from kafo.response.hxl import people_field
from kafo.response.models import (
    AMOUNT_LIMIT,
    TITLE_LENGTH,
    TOTAL_GROUPS,
    Activity,
    ActivityStatus,
)

STATUS_WORDS = {
    "planned": ActivityStatus.PLANNED,
    "planifie": ActivityStatus.PLANNED,
    "prevu": ActivityStatus.PLANNED,
    "ongoing": ActivityStatus.ONGOING,
    "en cours": ActivityStatus.ONGOING,
    "active": ActivityStatus.ONGOING,
    "completed": ActivityStatus.COMPLETED,
    "termine": ActivityStatus.COMPLETED,
    "acheve": ActivityStatus.COMPLETED,
    "closed": ActivityStatus.COMPLETED,
    "suspended": ActivityStatus.SUSPENDED,
    "suspendu": ActivityStatus.SUSPENDED,
    "cancelled": ActivityStatus.CANCELLED,
    "annule": ActivityStatus.CANCELLED,
}


MAX_BUDGET = AMOUNT_LIMIT  # 15 significant digits, 2 of them decimals
MAX_PEOPLE = 2_147_483_647  # what every database's integer column holds
# Distinct figures of people kept read (a 5W repeats them; a file of all-different ones
# is read cell by cell past this many).
PEOPLE_READ_KEPT = 100_000
_FOLDED_STATUS = {normalise(word): code for word, code in STATUS_WORDS.items()}


SOURCE_ID_LENGTH = Activity._meta.get_field("source_id").max_length


def _status_codes() -> dict[str, str]:
    """Status words, and the statuses' own labels in French and English (those Kafo's
    template lists: "Prévue", "Terminée"...), folded, → code."""
    codes = dict(_FOLDED_STATUS)
    for language in ("fr", "en"):
        with translation.override(language):
            codes.update((normalise(str(label)), code) for code, label in ActivityStatus.choices)
    return codes


FUNDER_SEPARATORS = r"\s*[;|]\s*"


_UNREAD = object()  # a value not read yet (None is a value read: no date)


class ActivityRows:
    """Checks every row of a 5W table; keeps what it learnt (organisations, units)."""

    def __init__(
        self, table: HxlTable, mapping: dict[str, str] | None = None, user=None, version=None,
        year: int | None = None,
    ):  # fmt: skip
        self.table = table
        self.year = year
        self.inferred_status = 0  # rows whose status was read from their dates
        self.today = datetime.date.today()
        self._statuses: dict[str, str] | None = None
        self.rows_by_identifier: dict[tuple[str, str], int] = {}
        self.mapping = mapping or {}
        self.user = user
        self.organisations = Organisations()
        self.places = Places(table, version)
        self.codes: dict = {}
        self.dates: dict[tuple[str, str], datetime.date | None] = {}
        self._organisations_named: dict[str, tuple] = {}
        self._folded: dict[str, str] = {}
        self._currencies: dict[str, tuple[str, str | None]] = {}
        self._people_read: dict[tuple[str, str], tuple[int | None, str | None]] = {}
        c = table.column
        self.columns = {
            "org": c("#org+impl", ("acronym",))
            if c("#org+impl", ("acronym",)) is not None
            else c("#org", ("funder", "donor", "acronym")),
            # The acronym beside the name (Kafo's exports): the organisation when no name.
            "org_acronym": c("#org+acronym", ("funder", "donor")),
            "funder": c("#org+funder") if c("#org+funder") is not None else c("#org+donor"),
            "sector": c("#sector"),
            "activity_type": c("#activity+type")
            if c("#activity+type") is not None
            else c("#activity+code"),
            "title": c("#activity+name")
            if c("#activity+name") is not None
            else c("#activity", ("id", "code", "type")),
            # Only #meta+id identifies a row; #activity+id is often a catalogue code.
            "id": c("#meta+id"),
            "status": c("#status"),
            "start": c("#date+start"),
            "end": c("#date+end"),
            # The month a row reports on (HXL 1.0's #period_date, ROWCA's 3W).
            "period": c("#period"),
            "value": c("#value"),
            "currency": c("#currency"),
            "lat": c("#geo+lat"),
            "lon": c("#geo+lon"),
        }
        # Where each value is read: its column, or the empty cell after the last one.
        width = len(table.hashtags)
        self.at = {key: width if index is None else index for key, index in self.columns.items()}
        self.people = {}
        self.totals: dict[str, int] = {}
        for index, hashtag in enumerate(table.hashtags):
            if hashtag and hashtag.tag in ("targeted", "reached"):
                attributes = hashtag.attributes - {"num", "ind"}
                field = people_field(hashtag.tag, frozenset(attributes))
                if field is not None:
                    self.people[field] = index
                elif not attributes or attributes == {"total"}:
                    # A total without breakdown: kept as the stage's total (people whose sex
                    # and age the file does not say count as unknown).
                    self.totals.setdefault(hashtag.tag, index)
        # Each column's conventions, from all its values: its numbers' separators, its
        # dates' day order. A column that cannot be read is refused, not guessed.
        self.column_reasons: dict[str, str] = {}
        numbers = {"value": self.columns["value"], **self.people,
                   **{f"{stage}_total": i for stage, i in self.totals.items()}}  # fmt: skip
        self.formats, reasons = column_formats(
            table.rows, numbers, whole=set(numbers) - {"value"}, plain=table.number_columns
        )
        self.column_reasons.update(reasons)
        self.day_first = {}
        for key in ("start", "end"):
            index = self.columns[key]
            values = distinct_values(table.rows, index) if index is not None else []
            self.day_first[key], reason = day_order(values)
            if reason:
                self.column_reasons[key] = reason

    def used_columns(self) -> set[int]:
        """The columns this importer reads."""
        return {
            *(i for i in self.columns.values() if i is not None), *self.people.values(),
            *self.totals.values(), *(i for i in self.places.place_columns if i is not None),
        }  # fmt: skip

    def notes(self) -> list[dict]:
        """What the batch tells beyond its rows."""
        notes = self.places.notes()
        if self.inferred_status:
            notes.append({"count": self.inferred_status,
                          "reason": _("rows without a status column: completed when their "
                                      "end is past, ongoing when they have started")})  # fmt: skip
        return notes

    # Each distinct value is resolved once (a 5W repeats its values).

    def _code(self, resolve, text: str) -> tuple[str | None, str | None]:
        key = (resolve, text)
        found = self.codes.get(key)
        if found is None:
            try:
                found = self.codes[key] = (resolve(text, self.mapping), None)
            except UnknownCode as error:
                found = self.codes[key] = (None, str(error))
        return found

    def sector_for(self, text: str) -> tuple[str | None, str | None]:
        """(code, None) or (None, the reason)."""
        return self._code(resolve_sector, text)

    def type_for(self, text: str) -> tuple[str | None, str | None]:
        return self._code(resolve_activity_type, text)

    def status_for(self, text: str) -> tuple[str | None, str | None]:
        if self._statuses is None:
            self._statuses = _status_codes()
        code = self._statuses.get(normalise(text))
        if code is None:
            reason = _("unknown status; use planned, ongoing, completed, suspended or cancelled")
            return None, reason
        return code, None

    def date_for(self, text: str, key: str = "start") -> tuple[datetime.date | None, str | None]:
        """(date, None) or (None, the reason). A month is a period: it starts on its first
        day and ends on its last."""
        found = self.dates.get((key, text), _UNREAD)
        if found is _UNREAD:
            period = read_period(text, day_first=self.day_first[key])
            found = self.dates[key, text] = (
                None if period is None else period.first if key == "start" else period.last
            )
        if found is None:
            return None, _("not a date (YYYY-MM-DD, DD/MM/YYYY, a date-time or a month "
                           "YYYY-MM)")  # fmt: skip
        return found, None

    def organisation_for(self, name: str):
        """(organisation, None) or (organisation or None, the reason)."""
        found = self._organisations_named.get(name)
        if found is None:  # a 5W repeats its organisations
            found = self._organisations_named[name] = self._organisation_for(name)
        return found

    def _organisation_for(self, name: str):
        if not name:
            return None, _("the implementing organisation is missing")
        if (reason := name_too_long(name)) is not None:
            return None, reason
        organisation = self.organisations.resolve(name)
        if not can_import_for(self.user, organisation):
            return organisation, _("you may import only your organisation's activities")
        return organisation, None

    def _date(self, result: RowResult, key: str, cells: list[str]) -> datetime.date | None:
        text = cells[self.at[key]]
        if not text:
            return None
        if self.column_reasons and (reason := self.column_reasons.get(key)):
            result.error(self.table, self.columns[key], text, reason)
            return None
        value, error = self.date_for(text, key)
        if error:
            result.error(self.table, self.columns[key], text, error)
        return value

    def _number(self, result: RowResult, key: str, column: int | None, text: str):
        """The number of a cell by its column's convention, or None (with the row's error)."""
        if reason := self.column_reasons.get(key):
            result.error(self.table, column, text, reason)
            return None
        number = read_number(text, self.formats[key])
        if number is None:
            result.error(self.table, column, text,
                         _("not a number (%s)") % self.formats[key].label)  # fmt: skip
        return number

    def _people(self, result: RowResult, key: str, column: int, cells: list[str]) -> int | None:
        text = cells[column]
        if not text:
            return None
        found = self._people_read.get((key, text))
        if found is None:
            found = self._read_people(key, text)
            if len(self._people_read) < PEOPLE_READ_KEPT:  # a 5W repeats its figures
                self._people_read[key, text] = found
        count, reason = found
        if reason:
            result.error(self.table, column, text, reason)
        return count

    def _read_people(self, key: str, text: str) -> tuple[int | None, str | None]:
        """(a number of people, None) or (None, why the cell is not one)."""
        if reason := self.column_reasons.get(key):
            return None, reason
        number = read_number(text, self.formats[key])
        if number is None:
            return None, _("not a number (%s)") % self.formats[key].label
        if number < 0 or number != int(number) or number > MAX_PEOPLE:
            return None, _("a number of people is a whole number, 0 or more")
        return int(number), None

    def check(self, number: int, row: list[str]) -> RowResult:
        result = RowResult(number)
        values = result.values
        # Short rows count as padded (the row's fingerprint does not depend on it); every
        # cell is stripped once, and a missing column reads as the empty cell at the end.
        width = len(self.table.hashtags)
        cells = list(map(str.strip, row[:width]))
        cells += [""] * (width + 1 - len(cells))
        at = self.at
        name = cells[at["org"]] or cells[at["org_acronym"]]
        organisation, error = self.organisation_for(name)
        if organisation is not None:
            values["organisation"] = organisation
        if error:
            result.error(self.table, self.columns["org"], name, error)
        funders = cells[at["funder"]]
        funder_names = (
            [n.strip() for n in re.split(FUNDER_SEPARATORS, funders) if n.strip()]
            if funders else []
        )  # fmt: skip
        values["funders"] = []
        for funder in funder_names:
            if (reason := name_too_long(funder)) is not None:
                result.error(self.table, self.columns["funder"], funder[:80] + "…", reason)
            else:
                values["funders"].append(self.organisations.resolve(funder))
        sector = cells[at["sector"]]
        values["sector"], error = self.sector_for(sector)
        if error:
            result.error(self.table, self.columns["sector"], sector, error)
        kind = cells[at["activity_type"]]
        if kind:
            values["activity_type"], error = self.type_for(kind)
            if error:
                result.error(self.table, self.columns["activity_type"], kind, error)
        title = cells[at["title"]]
        values["title"] = title or f"{sector} {kind}".strip()
        if len(values["title"]) > TITLE_LENGTH:
            result.error(self.table, self.columns["title"], title[:80] + "…",
                         _("a title of more than %d characters") % TITLE_LENGTH)  # fmt: skip
        values["source_id"] = cells[at["id"]]
        if len(values["source_id"]) > SOURCE_ID_LENGTH:  # SQLite would store any length
            reason = _("an identifier of more than %d characters") % SOURCE_ID_LENGTH
            result.error(self.table, self.columns["id"], values["source_id"][:80] + "…", reason)
        if not values["source_id"]:
            # No identifier: the row's content identifies it, so importing again updates.
            padded = row + [""] * (width - len(row))
            digest = hashlib.sha1("\x1f".join(padded).encode()).hexdigest()[:16]
            values["source_id"] = f"hxl-row:{digest}"
        # One row per identifier and organisation: a second would silently overwrite the
        # first; it is refused, naming both rows.
        if name not in self._folded:
            self._folded[name] = normalise(name)
        key = (self._folded[name], values["source_id"])
        if (first := self.rows_by_identifier.setdefault(key, number)) != number:
            shown = cells[at["id"]] or _("the same values")
            result.error(self.table, self.columns["id"], cells[at["id"]],
                         _("row %(first)d has %(id)s already: one row per activity")
                         % {"first": first, "id": shown})  # fmt: skip
        status = cells[at["status"]]
        if status:
            values["status"], error = self.status_for(status)
            if error:
                result.error(self.table, self.columns["status"], status, error)
        start, end = self._date(result, "start", cells), self._date(result, "end", cells)
        if (month := cells[at["period"]]) and not (start or end):
            period, error = read_month(month, self.year)
            if error:
                result.error(self.table, self.columns["period"], month, error)
            else:
                start, end = period.first, period.last
        if start and end and end < start:
            result.error(self.table, self.columns["end"], cells[at["end"]],
                         _("the end is before the start"))  # fmt: skip
        values["planned_start"], values["planned_end"] = start, end
        if self.columns["status"] is None and "status" not in values:
            # No status column: what the dates say, never "planned" for work in the past.
            today = self.today
            if end and end < today:
                values["status"] = ActivityStatus.COMPLETED
            elif start and start <= today:
                values["status"] = ActivityStatus.ONGOING
            self.inferred_status += "status" in values
        place_errors = len(result.errors)
        values["locations"] = self.places.resolve(result, cells)
        if not values["locations"] and len(result.errors) == place_errors:
            result.error(self.table, None, "", _("no admin unit (#adm1, #adm2 or #adm3) given"))
        for field_name, column in self.people.items():
            if (count := self._people(result, field_name, column, cells)) is not None:
                values[field_name] = count
        for stage, column in self.totals.items():
            total = self._people(result, f"{stage}_total", column, cells)
            if total is None:
                continue
            known = sum(values.get(f"{stage}_{group}", 0) for group in TOTAL_GROUPS)
            if total < known:
                result.error(self.table, column, cells[column],
                             _("the total is less than its parts (%d)") % known)  # fmt: skip
            else:
                values[f"{stage}_unknown"] = total - known
        amount = cells[at["value"]]
        if amount:
            budget = self._number(result, "value", self.columns["value"], amount)
            fits = budget is not None and 0 <= budget < MAX_BUDGET and budget == round(budget, 2)
            if budget is not None and not fits:
                result.error(
                    self.table, self.columns["value"], amount,
                    _("a budget is 0 or more, with at most 13 digits and 2 decimals"),
                )  # fmt: skip
            elif budget is not None:
                values["budget"] = budget
        currency = cells[at["currency"]]
        if currency not in self._currencies:
            self._currencies[currency] = currency_code(currency or "USD")
        values["currency"], error = self._currencies[currency]
        if error:
            result.error(self.table, self.columns["currency"], currency, error)
        return result


@transaction.atomic
def _write(batch: ImportBatch, results: list[RowResult]) -> None:
    """Write the checked rows (new organisations first), counting created and updated."""
    for result in results:
        for organisation in (result.values["organisation"], *result.values.get("funders", [])):
            if organisation.id is None:
                organisation.save()
    rows = []
    by_id = operator.attrgetter("id")
    for result in results:
        values = result.values  # taken over: a written row's values are not read again
        values["organisation_id"] = values.pop("organisation").id
        values["locations"] = list(map(by_id, values["locations"]))
        values["funders"] = list(map(by_id, values.get("funders", ())))
        rows.append(values)
    write_activities(batch, rows)


def import_activities(
    path: Path | str | HxlTable,
    *,
    user=None,
    accept_valid: bool = False,
    mapping: dict | None = None,
    cod_version: str | None = None,
    year: int | None = None,
    **options,
) -> ImportBatch:
    """Import a 5W HXL file as one batch. By default all or nothing: if a row is rejected,
    no activity is written and the rejected rows are kept for correction. With
    `cod_version`, p-codes are those of that stored COD version, mapped to the active one;
    `year` is the year of months given without one (#period: "June")."""
    return run_batch(
        "activities", path,
        lambda table: ActivityRows(
            table, mapping, user, cod_version_named(cod_version), year
        ).check,
        _write, user=user, accept_valid=accept_valid, **options,
    )  # fmt: skip
