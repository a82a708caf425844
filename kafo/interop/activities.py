"""5W activities from HXL: each row checked against Kafo's references, then the batch is
written whole (or only its valid rows, when asked), idempotently by source identifier."""

import datetime
import hashlib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.actors.matching import normalise
from kafo.actors.permissions import can_import_for
from kafo.interop.batches import RowResult, run_batch
from kafo.interop.bulk import write_activities
from kafo.interop.hxl import HxlTable
from kafo.interop.models import ImportBatch
from kafo.interop.references import Organisations, Places, parse_date
from kafo.response.catalogue import UnknownCode, resolve_activity_type, resolve_sector
from kafo.response.models import ActivityStatus

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
PEOPLE = {  # (stage, attributes) → Activity field
    ("targeted", frozenset({"f", "children"})): "targeted_girls",
    ("targeted", frozenset({"m", "children"})): "targeted_boys",
    ("targeted", frozenset({"f", "adults"})): "targeted_women",
    ("targeted", frozenset({"m", "adults"})): "targeted_men",
    ("reached", frozenset({"f", "children"})): "reached_girls",
    ("reached", frozenset({"m", "children"})): "reached_boys",
    ("reached", frozenset({"f", "adults"})): "reached_women",
    ("reached", frozenset({"m", "adults"})): "reached_men",
    ("targeted", frozenset({"disabled"})): "targeted_pwd",
    ("reached", frozenset({"disabled"})): "reached_pwd",
    ("reached", frozenset({"idps"})): "reached_displaced",
    ("targeted", frozenset({"idps"})): "targeted_displaced",
}


_FOLDED_STATUS = {normalise(word): code for word, code in STATUS_WORDS.items()}
FUNDER_SEPARATORS = r"\s*[;|]\s*"


class ActivityRows:
    """Checks every row of a 5W table; keeps what it learnt (organisations, units)."""

    def __init__(self, table: HxlTable, mapping: dict[str, str] | None = None, user=None):
        self.table = table
        self.mapping = mapping or {}
        self.user = user
        self.organisations = Organisations()
        self.places = Places(table)
        self.codes: dict = {}
        self.dates: dict[str, datetime.date | None] = {}
        c = table.column
        self.columns = {
            "org": c("#org+impl") if c("#org+impl") is not None else c("#org", ("funder", "donor")),
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
            "value": c("#value"),
            "currency": c("#currency"),
            "lat": c("#geo+lat"),
            "lon": c("#geo+lon"),
        }
        # Where each value is read: its column, or the empty cell after the last one.
        width = len(table.hashtags)
        self.at = {key: width if index is None else index for key, index in self.columns.items()}
        self.people = {}
        for index, hashtag in enumerate(table.hashtags):
            if hashtag and hashtag.tag in ("targeted", "reached"):
                key = (hashtag.tag, hashtag.attributes - {"num", "ind"})
                if key in PEOPLE:
                    self.people[PEOPLE[key]] = index

    # Each distinct value is resolved once (a 5W repeats its values).

    def _code(self, resolve, text: str) -> tuple[str | None, str | None]:
        key = (resolve, text)
        if key not in self.codes:
            try:
                self.codes[key] = (resolve(text, self.mapping), None)
            except UnknownCode as error:
                self.codes[key] = (None, str(error))
        return self.codes[key]

    def sector_for(self, text: str) -> tuple[str | None, str | None]:
        """(code, None) or (None, the reason)."""
        return self._code(resolve_sector, text)

    def type_for(self, text: str) -> tuple[str | None, str | None]:
        return self._code(resolve_activity_type, text)

    def status_for(self, text: str) -> tuple[str | None, str | None]:
        code = _FOLDED_STATUS.get(normalise(text))
        if code is None:
            reason = _("unknown status; use planned, ongoing, completed, suspended or cancelled")
            return None, reason
        return code, None

    def date_for(self, text: str) -> tuple[datetime.date | None, str | None]:
        if text not in self.dates:
            self.dates[text] = parse_date(text)
        if self.dates[text] is None:
            return None, _("not a date (YYYY-MM-DD or DD/MM/YYYY)")
        return self.dates[text], None

    def organisation_for(self, name: str):
        """(organisation, None) or (organisation or None, the reason)."""
        if not name:
            return None, _("the implementing organisation is missing")
        organisation = self.organisations.resolve(name)
        if not can_import_for(self.user, organisation):
            return organisation, _("you may import only your organisation's activities")
        return organisation, None

    def _date(self, result: RowResult, key: str, cells: list[str]) -> datetime.date | None:
        text = cells[self.at[key]]
        if not text:
            return None
        value, error = self.date_for(text)
        if error:
            result.error(self.table, self.columns[key], text, error)
        return value

    def check(self, number: int, row: list[str]) -> RowResult:
        result = RowResult(number)
        values = result.values
        # Short rows count as padded (the row's fingerprint does not depend on it); every
        # cell is stripped once, and a missing column reads as the empty cell at the end.
        width = len(self.table.hashtags)
        cells = [cell.strip() for cell in row[:width]]
        cells += [""] * (width + 1 - len(cells))
        at = self.at
        name = cells[at["org"]]
        organisation, error = self.organisation_for(name)
        if organisation is not None:
            values["organisation"] = organisation
        if error:
            result.error(self.table, self.columns["org"], name, error)
        funders = cells[at["funder"]]
        values["funders"] = [
            self.organisations.resolve(name.strip())
            for name in re.split(FUNDER_SEPARATORS, funders)
            if name.strip()
        ] if funders else []  # fmt: skip
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
        values["title"] = (title or f"{sector} {kind}".strip())[:255]
        values["source_id"] = cells[at["id"]]
        if not values["source_id"]:
            # No identifier: the row's content identifies it, so importing again updates.
            padded = row + [""] * (width - len(row))
            digest = hashlib.sha1("\x1f".join(padded).encode()).hexdigest()[:16]
            values["source_id"] = f"hxl-row:{digest}"
        status = cells[at["status"]]
        if status:
            values["status"], error = self.status_for(status)
            if error:
                result.error(self.table, self.columns["status"], status, error)
        start, end = self._date(result, "start", cells), self._date(result, "end", cells)
        if start and end and end < start:
            result.error(self.table, self.columns["end"], cells[at["end"]],
                         _("the end is before the start"))  # fmt: skip
        values["planned_start"], values["planned_end"] = start, end
        place_errors = len(result.errors)
        values["locations"] = self.places.resolve(result, cells)
        if not values["locations"] and len(result.errors) == place_errors:
            result.error(self.table, None, "", _("no admin unit (#adm1, #adm2 or #adm3) given"))
        for field_name, column in self.people.items():
            text = cells[column]
            if not text:
                continue
            text = text.replace(" ", "").replace("\u202f", "")
            if not text.isdecimal():  # what int() reads, as \d+ would
                result.error(
                    self.table, column, text, _("a number of people is a whole number, 0 or more")
                )
            else:
                values[field_name] = int(text)
        amount = cells[at["value"]]
        if amount:
            try:
                values["budget"] = Decimal(amount.replace(" ", "").replace(",", "."))
                if values["budget"] < 0:
                    raise InvalidOperation
            except InvalidOperation:
                result.error(self.table, self.columns["value"], amount, _("not an amount"))
        currency = cells[at["currency"]]
        values["currency"] = (currency or "USD").upper()[:3]
        return result


@transaction.atomic
def _write(batch: ImportBatch, results: list[RowResult]) -> None:
    """Write the checked rows (new organisations first), counting created and updated."""
    for result in results:
        for organisation in (result.values["organisation"], *result.values.get("funders", [])):
            if organisation.pk is None:
                organisation.save()
    rows = []
    for result in results:
        values = dict(result.values)
        values["organisation_id"] = values.pop("organisation").pk
        values["locations"] = [unit.pk for unit in values["locations"]]
        values["funders"] = [funder.pk for funder in values.get("funders", [])]
        rows.append(values)
    write_activities(batch, rows)


def import_activities(
    path: Path | str | HxlTable,
    *,
    user=None,
    accept_valid: bool = False,
    mapping: dict | None = None,
    **options,
) -> ImportBatch:
    """Import a 5W HXL file as one batch. By default all or nothing: if a row is rejected,
    no activity is written and the rejected rows are kept for correction."""
    return run_batch(
        "activities", path, lambda table: ActivityRows(table, mapping, user).check, _write,
        user=user, accept_valid=accept_valid, **options,
    )  # fmt: skip
