"""Needs and population from HXL (`#population`, `#inneed`, `#targeted` by admin unit,
sector and year), as OCHA's humanitarian needs overviews and HDX HAPI publish them.
A figure is identified by its admin unit, sector and year: importing again updates it."""

import re
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.actors.matching import normalise
from kafo.actors.permissions import can_import
from kafo.interop.batches import RowResult, run_batch
from kafo.interop.dates import read_period
from kafo.interop.hxl import HxlTable
from kafo.interop.models import ImportBatch
from kafo.interop.numbers import column_formats, read_number
from kafo.interop.references import Organisations, Places, cod_version_named, name_too_long
from kafo.response.catalogue import UnknownCode, resolve_sector
from kafo.response.models import Need

# A total is a column without a sex or age breakdown.
BREAKDOWN = ("f", "m", "children", "adults", "elderly", "disabled", "idps", "refugees")
# Words for "all sectors": the figure is then the population as a whole.
ALL_SECTORS = {"all", "tous", "total", "intersectoriel", "intersector", "inter sector"}
MAX_PEOPLE = 2_147_483_647  # what every database's integer column holds
FIGURES = {"population": "#population", "in_need": "#inneed", "targeted": "#targeted"}


class NeedRows:
    def __init__(
        self, table: HxlTable, mapping: dict | None = None, user=None, version=None,
        year: int | None = None,
    ):  # fmt: skip
        self.table = table
        self.given_year = year
        self.mapping = mapping or {}
        self.user = user
        self.places = Places(table, version)
        self.organisations = Organisations()
        c = table.column
        self.figures = {name: c(pattern, BREAKDOWN) for name, pattern in FIGURES.items()}
        self.sector = c("#sector")
        self.year = c("#date+year") if c("#date+year") is not None else c("#date")
        self.source = c("#meta+source")
        self.organisation = c("#org")
        self.formats, self.reasons = column_formats(
            table.rows, self.figures, whole=set(self.figures), plain=table.number_columns
        )

    def used_columns(self) -> set[int]:
        """The columns this importer reads."""
        read = [*self.figures.values(), self.sector, self.year, self.source, self.organisation,
                *self.places.place_columns]  # fmt: skip
        return {index for index in read if index is not None}

    def notes(self) -> list[dict]:
        """What the batch tells beyond its rows."""
        return self.places.notes()

    def _cell(self, row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    def check(self, number: int, row: list[str]) -> RowResult:
        result = RowResult(number)
        table, values = self.table, result.values
        if not self.places.given:
            result.error(table, None, "", _("no admin unit column (#adm1, #adm2, #adm3)"))
        else:
            units = self.places.resolve(result, row)
            if len(units) > 1:
                result.error(table, None, ", ".join(u.pcode for u in units),
                             _("a figure is for one admin unit"))  # fmt: skip
            elif units:
                values["admin_unit"] = units[0]
            elif not result.errors:
                result.error(table, None, "", _("no admin unit given"))
        sector = self._cell(row, self.sector)
        values["sector"] = ""
        if sector and normalise(sector) not in ALL_SECTORS:
            try:
                values["sector"] = resolve_sector(sector, self.mapping)
            except UnknownCode as error:
                result.error(table, self.sector, sector, str(error))
        year = self._cell(row, self.year)
        period = read_period(year) if year else None
        if re.fullmatch(r"\d{4}", year):
            values["year"] = int(year)
        elif period is not None:
            values["year"] = period.first.year
        elif not year and self.given_year:
            values["year"] = self.given_year
        elif self.year is None:
            result.error(table, None, "", _("the file has no #date column (or #date+year): "
                                            "give the figures' year (--year YYYY, or the "
                                            "year on the upload page)"))  # fmt: skip
        else:
            result.error(table, self.year, year, _("a year (YYYY) or a date is needed"))
        for name, index in self.figures.items():
            text = self._cell(row, index)
            if not text:
                continue
            if reason := self.reasons.get(name):
                result.error(table, index, text, reason)
                continue
            number = read_number(text, self.formats[name])
            if number is None or number < 0 or number != int(number) or number > MAX_PEOPLE:
                result.error(
                    table, index, text, _("a number of people is a whole number, 0 or more")
                )
            else:
                values[name] = int(number)
        if not any(name in values for name in FIGURES):
            result.error(table, None, "", _("no figure (#population, #inneed or #targeted)"))
        values["source"] = self._cell(row, self.source)
        if len(values["source"]) > 255:
            result.error(table, self.source, values["source"][:80] + "…",
                         _("a source of more than 255 characters"))  # fmt: skip
        name = self._cell(row, self.organisation)
        if name and (reason := name_too_long(name)) is not None:
            result.error(table, self.organisation, name[:80] + "…", reason)
            name = ""
        values["organisation"] = self.organisations.resolve(name) if name else None
        if not can_import(self.user, "needs"):
            result.error(table, None, "", _("only the coordination imports needs figures"))
        return result


@transaction.atomic
def _write(batch: ImportBatch, results: list[RowResult]) -> None:
    for result in results:
        values = dict(result.values)
        organisation = values.get("organisation")
        if organisation is not None and organisation.pk is None:
            organisation.save()
        key = {k: values.pop(k) for k in ("admin_unit", "sector", "year")}
        _need, created = Need.objects.update_or_create(**key, defaults=values)
        if created:
            batch.created += 1
        else:
            batch.updated += 1


def import_needs(
    path: Path | str | HxlTable,
    *,
    user=None,
    accept_valid: bool = False,
    mapping: dict | None = None,
    cod_version: str | None = None,
    year: int | None = None,
    **options,
) -> ImportBatch:
    """Import needs and population figures from an HXL file as one batch (p-codes of the
    stored COD version `cod_version` when given, mapped to the active one). `year` is the
    figures' year for rows that give none (a table without a date column)."""
    return run_batch(
        "needs", path,
        lambda table: NeedRows(
            table, mapping, user, cod_version_named(cod_version), year
        ).check,
        _write, user=user, accept_valid=accept_valid, **options,
    )  # fmt: skip
