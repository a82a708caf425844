"""Hazards and incidents (accidents) from HXL. Each row goes through the same form as a
field report typed in Kafo, and becomes a submitted field report: the national IM team
validates it as any other. A row naming a known record (its Kafo reference, or the
identifier of an earlier import) is a correction carrying only the changed values."""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import shapely.geometry
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kafo.actors.matching import normalise
from kafo.actors.permissions import can_edit, can_import_for, membership_of
from kafo.geo.hxl import admin_chains
from kafo.interop.batches import RowResult, run_batch
from kafo.interop.hxl import HxlTable
from kafo.interop.models import ImportBatch
from kafo.interop.references import Organisations, name_too_long, parse_date
from kafo.mineaction import reports
from kafo.mineaction.kinds import KINDS, released_on
from kafo.mineaction.models import FieldReport, RecordKind, ReportStatus

# Form field → HXL pattern, beyond the hashtags the kind's export uses.
EXTRA_COLUMNS = {
    RecordKind.HAZARD: {
        "geometry": "#geo+wkt", "evidence_type": "#indicator+evidence+type",
        "evidence": "#indicator+evidence", "contamination": "#indicator+contamination",
        "blockages": "#indicator+blockage", "women": "#affected+f+adults",
        "men": "#affected+m+adults", "girls": "#affected+f+children",
        "boys": "#affected+m+children", "description": "#description",
    },
    RecordKind.ACCIDENT: {"place_description": "#loc+name", "narrative": "#description"},
}  # fmt: skip
PENDING = (ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.ACCEPTED,
           ReportStatus.VALIDATED)  # fmt: skip
YES = {"1", "yes", "oui", "true", "vrai", "y", "o", "x"}


SOURCE_LENGTH = FieldReport._meta.get_field("source").max_length


def _choice_codes(choices) -> dict[str, str]:
    """Codes and their French and English labels (and each part of "A / B"), folded, → code."""
    codes = {}
    for language in ("fr", "en"):
        with translation.override(language):
            for code, label in choices:
                if code not in ("", None):
                    for text in (str(label), *str(label).split(" / "), str(code)):
                        codes[normalise(text)] = code
    return codes


def _code_for(codes: dict[str, str], text: str) -> str:
    """The code a cell means: its code or label, else the one label starting with it
    ("ouvert" → "Ouverte"), else the one label containing it ("indirecte")."""
    folded = normalise(text)
    if folded in codes:
        return codes[folded]
    for found in (
        {code for label, code in codes.items() if label.startswith(folded)},
        {code for label, code in codes.items() if f" {folded}" in f" {label}"},
    ):
        if len(found) == 1 and len(folded) >= 3:
            return found.pop()
    return text


@dataclass
class RecordColumns:
    """Where each form field's value is in the table."""

    kind: str
    table: HxlTable
    fields: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        kind = KINDS[self.kind]
        patterns = {
            name: tag for name, tag in kind.columns.items() if name in kind.form.base_fields
        }
        patterns.update(EXTRA_COLUMNS.get(self.kind, {}))
        if "claimed_pcode" in kind.form.base_fields:
            patterns["claimed_pcode"] = "#adm+code"
        taken = set()
        # Longer patterns first, so "#indicator+evidence+type" is not read as evidence.
        for name, pattern in sorted(patterns.items(), key=lambda p: -len(p[1])):
            wanted = pattern.count("+")
            for index, hashtag in enumerate(self.table.hashtags):
                if index in taken or hashtag is None or not hashtag.matches(pattern):
                    continue
                if len(hashtag.attributes) > wanted and name != "claimed_pcode":
                    continue
                self.fields[name] = index
                taken.add(index)
                break
        if "claimed_pcode" in patterns and "claimed_pcode" not in self.fields:
            # HXL 1.1 writes one column per level: the finest p-code given is the place.
            for level in (3, 2, 1):
                if (index := self.table.column(f"#adm{level}+code")) is not None:
                    self.fields["claimed_pcode"] = index
                    break
        # The other levels of an HXL 1.1 place (#adm1+code, #adm2+name, ...): each must
        # agree with the place the finest p-code names.
        self.levels = {
            index: (int(hashtag.tag[3:]), part)
            for index, hashtag in enumerate(self.table.hashtags)
            if hashtag is not None and index != self.fields.get("claimed_pcode")
            and re.fullmatch(r"adm[1-9]", hashtag.tag)
            and (part := "code" if "code" in hashtag.attributes else "name")
        }  # fmt: skip
        c = self.table.column
        # Values Kafo computes: read to check they agree, never stored as given.
        self.remaining = c("#x_area+remaining") if self.kind == RecordKind.HAZARD else None
        # Kafo's own references (its exports mark them +x_kafo), or the source's identifiers,
        # kept apart: a partner's "ACC-001203" is not Kafo's ACC-001203.
        self.kafo_reference = c(kind.columns["reference"])
        source_tag = kind.columns["reference"].replace("+x_kafo", "")
        self.reference = (
            self.kafo_reference if self.kafo_reference is not None
            else c(source_tag) if c(source_tag) is not None else c("#meta+id")
        )  # fmt: skip
        self.organisation = c("#org+name") if c("#org+name") is not None else c("#org")
        self.reported = c("#date+reported")


class RecordRows:
    """Checks each row with the kind's own form."""

    def __init__(self, kind: str, table: HxlTable, user=None):
        self.kind = KINDS[kind]
        self.table = table
        self.user = user
        self.columns = RecordColumns(kind, table)
        self.organisations = Organisations()
        form_fields = self.kind.form.base_fields
        self.codes = {
            name: _choice_codes(f.choices)
            for name, f in form_fields.items()
            if isinstance(f, forms.ChoiceField | forms.MultipleChoiceField) and f.choices
        }
        self.multiple = {
            name for name, f in form_fields.items() if isinstance(f, forms.MultipleChoiceField)
        }
        self.known = set(self.kind.model.objects.values_list("reference", flat=True)) | set(
            FieldReport.objects.filter(kind=self.kind.code).values_list(
                "record_reference", flat=True
            )
        )
        self.by_kafo_reference = self.columns.kafo_reference is not None
        self._chains: dict[str, dict[int, tuple[str, str]]] = {}
        self.rows_by_identifier: dict[tuple[str, str], int] = {}

    def used_columns(self) -> set[int]:
        """The columns this importer reads."""
        columns = self.columns
        read = [*columns.fields.values(), *columns.levels, columns.reference,
                columns.organisation, columns.reported, columns.remaining]  # fmt: skip
        return {index for index in read if index is not None}

    def _value(self, name: str, text: str) -> str | list[str]:
        codes = self.codes.get(name)
        if name in self.multiple:
            parts = [p for p in re.split(r"\s*[;,|]\s*", text) if p]
            return [_code_for(codes, p) for p in parts] if codes else parts
        if codes:
            return _code_for(codes, text)
        if isinstance(self.kind.form.base_fields.get(name), forms.BooleanField):
            return "on" if normalise(text) in YES else ""
        if isinstance(self.kind.form.base_fields.get(name), forms.FloatField | forms.IntegerField):
            return text.replace(" ", "").replace("\u202f", "").replace(",", ".")
        return text

    def _record_for(self, identifier: str, organisation) -> str:
        """The Kafo reference a row's identifier names, or "": a Kafo reference in a Kafo
        export's column, else a record the same organisation imported under this source
        identifier (never another organisation's, never a Kafo reference by chance)."""
        if self.by_kafo_reference and identifier in self.known:
            return identifier
        if organisation is None or organisation.pk is None:
            return ""
        earlier = (
            FieldReport.objects.filter(
                kind=self.kind.code, source=f"hxl:{identifier}", organisation=organisation
            )
            .order_by("id")
            .first()
        )
        return earlier.record_reference if earlier else ""

    def check(self, number: int, row: list[str]) -> RowResult:
        result = RowResult(number)
        table, columns = self.table, self.columns

        def cell(index):
            return row[index].strip() if index is not None and index < len(row) else ""

        identifier = cell(columns.reference)
        if not identifier:
            digest = hashlib.sha1("\x1f".join(row).encode()).hexdigest()[:16]
            identifier = f"hxl-row:{digest}"
        if len(f"hxl:{identifier}") > SOURCE_LENGTH:  # kept as the report's source
            result.error(table, columns.reference, identifier[:80] + "…",
                         _("an identifier of more than %d characters")
                         % (SOURCE_LENGTH - len("hxl:")))  # fmt: skip
            return result
        # One row per record and organisation: a second would silently overwrite the first.
        key = (normalise(cell(columns.organisation)), identifier)
        if (first := self.rows_by_identifier.setdefault(key, number)) != number:
            result.error(table, columns.reference, cell(columns.reference),
                         _("row %(first)d has %(id)s already: one row per record")
                         % {"first": first, "id": cell(columns.reference)
                            or _("the same values")})  # fmt: skip
        if (reason := name_too_long(cell(columns.organisation))) is not None:
            result.error(table, columns.organisation, cell(columns.organisation)[:80] + "…",
                         reason)  # fmt: skip
            return result
        organisation = self._organisation_named(cell(columns.organisation))
        reference = self._record_for(identifier, organisation)
        data = {}
        if reference:
            # A correction: the row's values over the record as known (pending reports too).
            data = self.kind.form.initial_from(
                reports.current_values(self.kind, reference, PENDING)
            )
            data = {name: value for name, value in data.items() if value is not None}
        data.update(
            (name, self._value(name, cell(index)))
            for name, index in columns.fields.items()
            if cell(index)
        )
        form = self.kind.form(data=data, correction=bool(reference))
        if not form.is_valid():
            for name, errors in form.errors.as_data().items():
                index = columns.fields.get(name)
                column_label = table.label(index) if index is not None else self._pattern(name)
                for error in errors:
                    reason = " ".join(error.messages)
                    if error.code == "invalid_choice" and name in self.codes:
                        valid = ", ".join(sorted(set(self.codes[name].values())))
                        reason = _("%(reason)s (valid codes: %(codes)s)") % {
                            "reason": reason, "codes": valid,
                        }  # fmt: skip
                    result.errors.append(
                        {"column": column_label, "value": cell(index), "reason": reason}
                    )
        self._check_levels(result, cell(columns.fields.get("claimed_pcode")), cell)
        if cell(columns.remaining) and form.is_valid():
            self._check_remaining(result, cell(columns.remaining), form, reference)
        organisation = self._organisation(result, cell(columns.organisation), reference,
                                          organisation)  # fmt: skip
        reported = self._reported(result, cell(columns.reported), form)
        result.values = {
            "form": form, "organisation": organisation, "reference": reference,
            "identifier": identifier, "date": reported,
        }  # fmt: skip
        return result

    def _check_levels(self, result: RowResult, pcode: str, cell) -> None:
        """Refuse a row whose other admin levels name another place than its p-code's."""
        if not pcode or not self.columns.levels:
            return
        chain = self._chains.get(pcode)
        if chain is None:
            chain = self._chains[pcode] = admin_chains({pcode}).get(pcode, {})
        if not chain:
            return  # an unknown p-code: the form says so
        for index, (level, part) in self.columns.levels.items():
            given = cell(index)
            if not given or level not in chain:
                continue
            code, name = chain[level]
            expected = code if part == "code" else name
            same = given == code if part == "code" else normalise(given) == normalise(name)
            if not same:
                result.error(self.table, index, given,
                             _("the p-code %(pcode)s is in %(expected)s, not %(given)s")
                             % {"pcode": pcode, "expected": expected, "given": given})  # fmt: skip

    def _check_remaining(self, result: RowResult, given: str, form, reference: str) -> None:
        """Refuse a remaining area other than Kafo's: the estimated area less the land
        released by the hazard's recorded activities."""
        estimated = form.cleaned_data.get("estimated_area_m2")
        hazard = self.kind.model.objects.filter(reference=reference).first() if reference else None
        if estimated is None and hazard is not None:
            estimated = hazard.estimated_area_m2
        if estimated is None:
            return
        expected = max(0.0, float(estimated) - (released_on(hazard) if hazard else 0.0))
        try:
            same = abs(float(given.replace(" ", "").replace(",", ".")) - expected) < 0.5
        except ValueError:
            same = False
        if not same:
            result.error(self.table, self.columns.remaining, given,
                         _("the remaining area is computed by Kafo (estimated area less the "
                           "land released by recorded activities): %(expected)s m²; leave "
                           "this column empty or record the land release activities")
                         % {"expected": f"{expected:.0f}"})  # fmt: skip

    def _pattern(self, name: str) -> str:
        kind = self.kind
        return EXTRA_COLUMNS.get(kind.code, {}).get(name) or kind.columns.get(name, name)

    def _organisation_named(self, name: str):
        """The row's organisation: the one it names, else the importer's."""
        if name:
            return self.organisations.resolve(name)
        membership = membership_of(self.user)
        return membership.organisation if membership else None

    def _organisation(self, result: RowResult, name: str, reference: str, organisation):
        column = self.columns.organisation
        if reference:
            record = self.kind.model.objects.filter(reference=reference).first()
            if record is not None and self.user is not None and not can_edit(self.user, record):
                result.error(self.table, column, name,
                             _("only its organisation or the coordination may correct %s")
                             % reference)  # fmt: skip
        if organisation is None:
            result.error(self.table, column, "", _("the reporting organisation is missing"))
        elif not can_import_for(self.user, organisation):
            result.error(self.table, column, name,
                         _("you may import only your organisation's records"))  # fmt: skip
        return organisation

    def _reported(self, result: RowResult, text: str, form) -> datetime.date:
        if text:
            if (date := parse_date(text)) is not None:
                return date
            result.error(self.table, self.columns.reported, text,
                         _("not a date (YYYY-MM-DD or DD/MM/YYYY)"))  # fmt: skip
        occurred = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
        return occurred or datetime.date.today()


def _same(name: str, known, value) -> bool:
    """Whether a reported value repeats the known one (polygons compared as shapes, since
    cleaning a polygon may start its ring at another corner)."""
    if name == "geometry" and known and value:
        return shapely.geometry.shape(json.loads(known)).equals(
            shapely.geometry.shape(json.loads(value))
        )
    return known == value


def _writer(kind: str, user):
    record_kind = KINDS[kind]

    @transaction.atomic
    def write(batch: ImportBatch, results: list[RowResult]) -> None:
        for result in results:
            organisation = result.values["organisation"]
            if organisation.pk is None:
                organisation.save()
        for result in results:
            values = result.values
            form, reference = values["form"], values["reference"]
            if reference:
                known = reports.current_values(record_kind, reference, PENDING)
                new = reports.reported_values(form)
                if all(_same(name, known.get(name), value) for name, value in new.items()):
                    continue  # already known: importing the same file again changes nothing
            try:
                reports.submit(
                    record_kind, form, user=user, organisation=values["organisation"],
                    date_of_information=values["date"], source=f"hxl:{values['identifier']}",
                    record_reference=reference,
                )  # fmt: skip
            except ValidationError:
                continue  # the correction repeats the validated record: nothing to report
            if reference:
                batch.updated += 1
            else:
                batch.created += 1

    return write


def import_records(
    kind: str,
    path: Path | str | HxlTable,
    *,
    user=None,
    accept_valid: bool = False,
    mapping: dict | None = None,
    **options,
) -> ImportBatch:
    """Import hazards or accidents from an HXL file as one batch of field reports."""
    batch_kind = {RecordKind.HAZARD: "hazards", RecordKind.ACCIDENT: "incidents"}[kind]
    return run_batch(
        batch_kind, path, lambda table: RecordRows(kind, table, user).check,
        _writer(kind, user), user=user, accept_valid=accept_valid, **options,
    )  # fmt: skip


def import_hazards(path, **options) -> ImportBatch:
    """Hazards (suspected and confirmed hazardous areas) from HXL."""
    return import_records(RecordKind.HAZARD, path, **options)


def import_incidents(path, **options) -> ImportBatch:
    """Incidents (mine/ERW/IED accidents) from HXL."""
    return import_records(RecordKind.ACCIDENT, path, **options)
