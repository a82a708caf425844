"""A submission of Kafo's own form as the values of the web's form for the same report:
groups flattened (`where/location` → `location`), a geopoint ("lat lon alt acc") as a
longitude and a latitude, a geoshape as a GeoJSON polygon, a multi-select split, the
admin units' `pcode` where the web's form names a place. The web's form then checks
them as it checks a report typed on the web."""

import datetime
import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from kafo.intake.xlsforms import VERSION_FIELD, web_form
from kafo.mineaction.forms import ReportHeaderForm

# What the platforms add to a submission, never a question of the form.
PLATFORM_KEYS = ("_", "meta/", "formhub/")
PLATFORM_NAMES = {"start", "end", "deviceid", "__version__", VERSION_FIELD}


def flattened(raw: dict[str, Any]) -> dict[str, Any]:
    """The form's answers by question name, without the platform's own keys."""
    answers = {}
    for key, value in raw.items():
        if key.startswith(PLATFORM_KEYS) or key in PLATFORM_NAMES:
            continue
        answers[key.rsplit("/", 1)[-1]] = value
    return answers


def _point(text: str) -> tuple[float, float]:
    lat, lon, *_rest = (float(part) for part in str(text).split())
    return lon, lat


def _polygon(text: str) -> str:
    ring = [list(_point(vertex)) for vertex in str(text).split(";") if vertex.strip()]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _where(form: forms.BaseForm, name: str) -> str:
    """A field as the form's users know it: its label, and the question's name."""
    if name not in form.fields:
        return str(_("form"))
    return f"{form.fields[name].label or name} ({name})"


def questions(kind: str) -> list[tuple[str, str]]:
    """The questions a submission of the kind's form answers, by name, with their label
    (what a correction on Kafo's page may change): the report's header, the place, the
    focal point of an alert, and the web form's own fields the field form asks."""
    from kafo.intake.xlsforms import FOCAL_POINT_FIELD, FORM_KINDS, LEFT_OUT

    spec = FORM_KINDS[kind]
    form = web_form(kind)
    asked: list[tuple[str, str]] = [
        (name, str(field.label or name)) for name, field in ReportHeaderForm().fields.items()
    ]
    if spec.units:
        asked.append(("pcode", str(_("Place (p-code)"))))
    if spec.shape:
        asked.append(("area", str(_("Polygon of the area"))))
    if spec.point:
        asked.append(("location", str(_("Location"))))
    if spec.record_kind is None:
        asked.append((FOCAL_POINT_FIELD, str(_("Focal point number"))))
    asked += [(name, str(field.label or name)) for name, field in form.fields.items()
              if name not in LEFT_OUT]  # fmt: skip
    return asked


class Unmapped(ValueError):
    """A submission that is not a report of Kafo's form (the reasons, in words)."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def report_values(kind: str, raw: dict[str, Any], corrections: dict[str, Any] | None = None,
                  ) -> tuple[forms.BaseForm, datetime.date, str]:  # fmt: skip
    """The web's form bound to the submission's answers (checked), with the answers
    corrected on Kafo's page over them (by question name), its date of information and
    its source's words. Unmapped: what is wrong, each with its field."""
    answers = {**flattened(raw), **(corrections or {})}
    form = web_form(kind)
    data: dict[str, Any] = {}
    reasons: list[str] = []
    for name, field in form.fields.items():
        if name not in answers:
            continue
        value = answers[name]
        data[name] = str(value).split() if isinstance(field, forms.MultipleChoiceField) else value
    try:
        if answers.get("location"):
            data["longitude"], data["latitude"] = _point(answers["location"])
        if answers.get("area") and "geometry" in form.fields:
            data["geometry"] = _polygon(answers["area"])
    except ValueError:
        reasons.append(_("location: not a point or a polygon of the form “lat lon alt acc”."))
    if pcode := answers.get("pcode"):
        place = next((n for n in ("admin_unit", "pcode", "claimed_pcode") if n in form.fields),
                     None)  # fmt: skip
        if place:
            data[place] = pcode
    header = ReportHeaderForm(data={name: answers.get(name, "") for name in
                                    ("date_of_information", "source")})  # fmt: skip
    bound = type(form)(data=data)
    for checked in (header, bound):
        if not checked.is_valid():
            for name, errors in checked.errors.items():
                reasons += [f"{_where(checked, name)}: {error}" for error in errors]
    if reasons:
        raise Unmapped(reasons)
    return bound, header.cleaned_data["date_of_information"], header.cleaned_data["source"]
