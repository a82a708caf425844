"""Kafo's own XLSForms, for KoboCollect, ODK Collect and Enketo: one per kind of field
report, made from the very Django form that checks a report typed on the web (its fields,
choices, requirements and bounds), so that a submission carries what Kafo asks for.

- Labels and hints in French and English (`label::Français (fr)`, `label::English
  (en)`); the choices' names are Kafo's codes.
- Constraints where XLSForm can say them: areas and counts ≥ 0, dates not in the future,
  required fields, references in Kafo's format (HAZ-000001).
- The place: a geopoint (and a geoshape for a hazard), and the admin units as a cascading
  select (region → cercle → commune) of the active COD version; `pcode` is the finest
  chosen.
- A land release activity chooses its hazard from `hazards.csv` (`select_one_from_file`),
  the open hazards Kafo writes beside the form (`hazards_csv`), so it works offline.
- Personal identifiers of victims (name, ID number, phone, address) are left out: the
  submissions stay on the collection server, beyond Kafo's retention rules.

Every form is converted by pyxform (XLSForm → XForm) before it is given out: a form that
does not convert is an error, never a file."""

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.validators import MinValueValidator
from django.utils import translation
from django.utils.translation import gettext_lazy

from kafo.geo.models import AdminUnit
from kafo.mineaction import forms as record_forms
from kafo.mineaction import vocabularies as v
from kafo.mineaction.kinds import KINDS
from kafo.mineaction.models import Hazard, RecordKind

LANGUAGES = {"fr": "Français (fr)", "en": "English (en)"}
DEFAULT_LANGUAGE = LANGUAGES["fr"]
HAZARDS_FILE = "hazards.csv"
VERSION_FIELD = "kafo_version"
# A community alert names the focal point who gave it by its number in Kafo.
FOCAL_POINT_FIELD = "focal_point"
# Fields a field form never asks: personal identifiers (kept off the collection
# servers), and those the form's own place questions replace.
LEFT_OUT = {"name", "id_number", "phone", "address", "geometry", "longitude", "latitude",
            "claimed_pcode", "admin_unit", "pcode"}  # fmt: skip


@dataclass(frozen=True)
class FormKind:
    """A field form: its title, the record kind its submissions become (None: a
    community alert, which the coordination follows to a record), and what it asks of
    the place."""

    title: object
    record_kind: str | None
    point: str = ""  # "required", "optional" or "" (none)
    shape: bool = False
    units: str = ""  # the admin units' cascade: "required", "optional" or ""


FORM_KINDS: dict[str, FormKind] = {
    "hazard": FormKind(gettext_lazy("Hazard"), RecordKind.HAZARD, point="optional",
                       shape=True, units="optional"),
    "activity": FormKind(gettext_lazy("Land release activity"), RecordKind.ACTIVITY),
    "accident": FormKind(gettext_lazy("Accident"), RecordKind.ACCIDENT, point="required",
                         units="optional"),
    "victim": FormKind(gettext_lazy("Victim"), RecordKind.VICTIM),
    "eore": FormKind(gettext_lazy("Risk education session"), RecordKind.EORE,
                     units="required"),
    "assistance": FormKind(gettext_lazy("Victim assistance"), RecordKind.ASSISTANCE),
    "alert": FormKind(gettext_lazy("Community alert"), None, point="optional",
                      units="required"),
}  # fmt: skip


class XLSFormError(ValueError):
    """A form that pyxform does not convert (with its reason)."""


@dataclass(frozen=True)
class XLSForm:
    """A generated form: its sheets as rows, its id and its version."""

    kind: str
    form_id: str
    version: str
    survey: list[dict]
    choices: list[dict]
    settings: dict

    def workbook(self) -> bytes:
        """The XLSForm as an .xlsx file (survey, choices and settings sheets)."""
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for name, rows in (("survey", self.survey), ("choices", self.choices),
                           ("settings", [self.settings])):  # fmt: skip
            sheet = book.create_sheet(name)
            header = list(dict.fromkeys(key for row in rows for key in row))
            sheet.append(header)
            for row in rows:
                sheet.append([row.get(key, "") for key in header])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def xform(self) -> str:
        """The XForm XML, as pyxform converts the workbook (XLSFormError: why not; a
        warning of pyxform's is one too)."""
        from pyxform.errors import PyXFormError
        from pyxform.xls2xform import convert

        warnings: list[str] = []
        try:
            xform = convert(xlsform=self.workbook(), warnings=warnings, file_type=".xlsx",
                            default_language=DEFAULT_LANGUAGE).xform  # fmt: skip
        except PyXFormError as error:
            raise XLSFormError(f"{self.form_id}: {error}") from error
        if warnings:
            raise XLSFormError(f"{self.form_id}: {'; '.join(warnings)}")
        return xform


def _labels(text) -> dict[str, str]:
    out = {}
    for code, name in LANGUAGES.items():
        with translation.override(code):
            out[f"label::{name}"] = str(text)
    return out


def _hints(text) -> dict[str, str]:
    return {key.replace("label::", "hint::"): value for key, value in _labels(text).items()}


def _messages(text) -> dict[str, str]:
    return {key.replace("label::", "constraint_message::"): value
            for key, value in _labels(text).items()}  # fmt: skip


NOT_IN_FUTURE = gettext_lazy("The date cannot be in the future.")
NOT_NEGATIVE = gettext_lazy("The number cannot be negative.")
REFERENCE_FORMAT = gettext_lazy("A Kafo reference, like %(example)s.")


def _reference_model(field: Any) -> Any:
    return field.queryset.model


def _reference_prefix(field: Any) -> str:
    model = _reference_model(field)
    return next(kind.prefix for kind in KINDS.values() if kind.model is model)


def _minimum(field: forms.Field) -> float | None:
    minimum = getattr(field, "min_value", None)
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            limit = validator.limit_value
            minimum = limit if minimum is None else max(minimum, limit)
    return minimum


def _question(name: str, field: Any, choices: list[dict]) -> dict | None:
    """The survey row of a Django form field (its choices appended), or None."""
    row: dict = {"name": name, **_labels(field.label or name)}
    if field.help_text:
        row.update(_hints(field.help_text))
    if field.required:
        row["required"] = "yes"
    if isinstance(field, forms.ModelChoiceField):
        if _reference_model(field) is Hazard:
            # The answer is the reference, from the CSV's column or the Entity List's
            # property of that name (on ODK Central an entity's own name is its uuid).
            row.update(type=f"select_one_from_file {HAZARDS_FILE}", parameters="value=reference")
            return row
        prefix = _reference_prefix(field)
        row["type"] = "text"
        row["constraint"] = f"regex(., '^{prefix}-[0-9]{{6}}$')"
        row.update(_messages(REFERENCE_FORMAT % {"example": f"{prefix}-000001"}))
        return row
    if isinstance(field, forms.ChoiceField):
        multiple = isinstance(field, forms.MultipleChoiceField)
        row["type"] = f"{'select_multiple' if multiple else 'select_one'} {name}"
        for code, label in cast(Any, field).choices:
            if code in ("", None):
                continue
            choices.append({"list_name": name, "name": code, **_labels(label)})
        return row
    if isinstance(field, forms.DateField):
        row.update(type="date", constraint=". <= today()", **_messages(NOT_IN_FUTURE))
        return row
    if isinstance(field, forms.DateTimeField):
        row.update(type="dateTime", constraint=". <= now()", **_messages(NOT_IN_FUTURE))
        return row
    if isinstance(field, forms.IntegerField | forms.FloatField):
        row["type"] = "integer" if isinstance(field, forms.IntegerField) else "decimal"
        minimum = 0 if name.endswith("_m2") else _minimum(field)
        if minimum is not None:
            row.update(constraint=f". >= {minimum}", **_messages(NOT_NEGATIVE))
        return row
    if isinstance(field, forms.BooleanField):
        return None  # no such field in the record forms; a tick box would need a list
    row["type"] = "text"
    if isinstance(field.widget, forms.Textarea):
        row["appearance"] = "multiline"
    return row


def _unit_questions(required: str, choices: list[dict]) -> list[dict]:
    """Region → cercle → commune of the active COD version, each filtered by the one
    above, and `pcode`: the finest chosen."""
    units = list(AdminUnit.objects.active().filter(level__in=(1, 2, 3))
                 .order_by("level", "pcode").values_list("pcode", "name", "level",
                                                         "parent__pcode"))  # fmt: skip
    levels = {1: "region", 2: "cercle", 3: "commune"}
    names = {1: gettext_lazy("Region"), 2: gettext_lazy("Cercle"), 3: gettext_lazy("Commune")}
    parents: dict[str, str] = {}
    present = set()
    for pcode, name, level, parent in units:
        parents[pcode] = parent or ""
        row = {"list_name": levels[level], "name": pcode,
               **{f"label::{language}": name for language in LANGUAGES.values()}}  # fmt: skip
        if level == 2:
            row["region"] = parent
        if level == 3:
            row["region"], row["cercle"] = parents.get(parent, ""), parent
        choices.append(row)
        present.add(level)
    rows = []
    for level in sorted(present):
        row = {"type": f"select_one {levels[level]}", "name": levels[level],
               **_labels(names[level])}  # fmt: skip
        if level > 1:
            row["choice_filter"] = f"{levels[level - 1]}=${{{levels[level - 1]}}}"
        if required == "required" and level == 1:
            row["required"] = "yes"
        rows.append(row)
    if present:
        finest = "''"
        for level in sorted(present):
            finest = f"if(${{{levels[level]}}} != '', ${{{levels[level]}}}, {finest})"
        rows.append({"type": "calculate", "name": "pcode", "calculation": finest})
    return rows


def _header(choices: list[dict]) -> list[dict]:
    header = record_forms.ReportHeaderForm()
    rows = [r for name, field in header.fields.items()
            if (r := _question(name, field, choices)) is not None]  # fmt: skip
    return [{"type": "start", "name": "start"}, {"type": "end", "name": "end"},
            {"type": "deviceid", "name": "deviceid"}, *rows]  # fmt: skip


def web_form(kind: str) -> forms.BaseForm:
    """The Django form that checks the same report typed on the web."""
    from kafo.communities.forms import AlertForm

    record_kind = FORM_KINDS[kind].record_kind
    return AlertForm() if record_kind is None else KINDS[record_kind].form()


def build(kind: str) -> XLSForm:
    """The XLSForm of a field form kind (FORM_KINDS); KeyError for another."""
    spec = FORM_KINDS[kind]
    form = web_form(kind)
    choices: list[dict] = []
    survey = _header(choices)
    if spec.units:
        survey.append({"type": "begin_group", "name": "where", **_labels(gettext_lazy("Place"))})
        survey += _unit_questions(spec.units, choices)
    if spec.shape:
        survey.append(
            {
                "type": "geoshape",
                "name": "area",
                **_labels(gettext_lazy("Polygon of the area")),
                **_hints(gettext_lazy("Walk or draw its edge; or give a point below.")),
            }
        )
    if spec.point:
        point = {"type": "geopoint", "name": "location", **_labels(gettext_lazy("Location"))}
        if spec.point == "required":
            point["required"] = "yes"
        elif spec.shape:  # a polygon or a point
            point["required"] = "${area} = ''"
        survey.append(point)
    if spec.units:
        survey.append({"type": "end_group", "name": "where"})
    if spec.record_kind is None:
        survey.append({"type": "integer", "name": FOCAL_POINT_FIELD, "required": "yes",
                       **_labels(gettext_lazy("Focal point number")),
                       **_hints(gettext_lazy("The number on the focal point's page in Kafo.")),
                       "constraint": ". > 0"})  # fmt: skip
    for name, field in form.fields.items():
        if name in LEFT_OUT:
            continue
        if (row := _question(name, field, choices)) is not None:
            survey.append(row)
    form_id = f"kafo_{kind}"
    with translation.override("fr"):
        title = f"Kafo · {spec.title}"
    # The version follows the content: the same form keeps it, a changed one gets another.
    # Each submission carries it (`kafo_version`), on KoBo as on ODK Central.
    digest = hashlib.sha256(json.dumps([survey, choices], sort_keys=True).encode()).hexdigest()
    version = digest[:12]
    survey.append({"type": "calculate", "name": VERSION_FIELD, "calculation": f"'{version}'"})
    made = XLSForm(kind=kind, form_id=form_id, version=version, survey=survey, choices=choices,
                   settings={"form_title": title, "form_id": form_id, "version": version,
                             "default_language": DEFAULT_LANGUAGE})  # fmt: skip
    made.xform()  # converts, or XLSFormError
    return made


HAZARD_COLUMNS = ["name", "label", "reference", "classification", "pcode", "longitude",
                  "latitude"]  # fmt: skip


def open_hazards(hazards=None):
    """The hazards (of `hazards`; by default all) the field forms choose from: not closed."""
    hazards = Hazard.objects.all() if hazards is None else hazards
    return hazards.exclude(status=v.HazardStatus.CLOSED)


def hazard_rows(hazards=None) -> Iterator[dict[str, str]]:
    """The open hazards (of `hazards`, a queryset; by default all) as the phone chooses
    them: name and reference (the reference), label (it, the local name and the admin
    unit), classification, admin unit and centroid; as text, as the files carry them."""
    hazards = open_hazards(hazards).select_related("admin_unit").order_by("reference")
    for hazard in hazards.iterator(chunk_size=2000):
        unit = hazard.admin_unit
        label = " · ".join(filter(None, [hazard.reference, hazard.name, unit and unit.name]))
        yield {"name": hazard.reference, "label": label, "reference": hazard.reference,
               "classification": hazard.classification, "pcode": unit.pcode if unit else "",
               "longitude": "" if hazard.longitude is None else str(hazard.longitude),
               "latitude": "" if hazard.latitude is None else str(hazard.latitude)}  # fmt: skip


def hazards_csv(hazards=None) -> bytes:
    """`hazard_rows` as the CSV file `select_one_from_file` reads."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HAZARD_COLUMNS)
    writer.writeheader()
    writer.writerows(hazard_rows(hazards))
    return out.getvalue().encode()


def written(kind: str) -> XLSForm:
    """`build(kind)`, its version recorded (once) as given out."""
    from kafo.intake.models import FormVersion

    made = build(kind)
    FormVersion.objects.get_or_create(form_id=made.form_id, version=made.version,
                                      defaults={"kind": kind})  # fmt: skip
    return made
