"""Forms for activities (5W), resources and loans, with errors that name the field."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.actors.models import Organisation
from kafo.currencies import validate_currency
from kafo.geo.lookup import finest_units
from kafo.geo.models import AdminUnit
from kafo.mineaction.kinds import KINDS
from kafo.response.catalogue import MINE_ACTION_TYPES, Sector
from kafo.response.models import (
    AccessRestriction,
    Activity,
    Framework,
    Indicator,
    Loan,
    Objective,
    Resource,
)
from kafo.response.sharing import is_free
from kafo.response.splits import check_splits, parse_splits


class SharesField(forms.CharField):
    """Shares in strategy objectives, "CODE ; %" per line, summing to 100 per framework;
    cleans to [(objective, percentage)]."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Shares in strategy objectives (optional)"))
        kwargs.setdefault("help_text", gettext_lazy(
            "One per line: objective code ; percentage. The shares in each framework sum to 100."
        ))  # fmt: skip
        super().__init__(required=False, widget=forms.Textarea(attrs={"rows": 3}), **kwargs)

    def clean(self, value):
        try:
            splits = parse_splits(super().clean(value))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        codes = [code for code, _p in splits]
        objectives = {
            o.code: o for o in Objective.objects.filter(code__in=codes).select_related("framework")
        }
        unknown = [code for code in codes if code not in objectives]
        if unknown:
            raise forms.ValidationError(
                _("Unknown objective codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        problems = check_splits([(str(objectives[c].framework), c, p) for c, p in splits])
        if problems:
            raise forms.ValidationError(problems)
        return [(objectives[code], pct) for code, pct in splits]


def _dates_in_order(form: forms.Form, start: str, end: str) -> None:
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last < first:
        form.add_error(end, _("The end (%(end)s) is before the start (%(start)s).")
                       % {"end": last.isoformat(), "start": first.isoformat()})  # fmt: skip


def date_input():
    return forms.DateInput(attrs={"type": "date"})


class ActivityForm(forms.ModelForm):
    location_pcodes = forms.CharField(
        label=gettext_lazy("Admin units (p-codes)"),
        help_text=gettext_lazy("One or more p-codes at any level, e.g. ML0501 ML0504."),
    )
    points_text = forms.CharField(
        label=gettext_lazy("Points (optional)"), required=False,
        help_text=gettext_lazy("“longitude latitude” pairs, one per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    references_text = forms.CharField(
        label=gettext_lazy("Mine action records produced (optional)"), required=False,
        help_text=gettext_lazy("References such as EORE-000012 ACT-000034 VA-000056."),
    )  # fmt: skip
    funding = forms.ModelMultipleChoiceField(
        Organisation.objects.all(), required=False, label=gettext_lazy("Funding organisations")
    )
    accountable = forms.ModelMultipleChoiceField(
        Organisation.objects.all(), required=False,
        label=gettext_lazy("Accountable organisations"),
    )  # fmt: skip
    extending = forms.ModelMultipleChoiceField(
        Organisation.objects.all(), required=False, label=gettext_lazy("Extending organisations")
    )
    splits_text = SharesField()

    class Meta:
        model = Activity
        fields = [
            "title", "description", "sector", "activity_type", "status", "planned_start",
            "planned_end", "actual_start", "actual_end", "budget", "currency", "source_id",
            "targeted_girls", "targeted_boys", "targeted_women", "targeted_men",
            "targeted_unknown", "targeted_pwd", "targeted_displaced", "targeted_host",
            "reached_girls", "reached_boys", "reached_women", "reached_men", "reached_unknown",
            "reached_pwd", "reached_displaced", "reached_host",
        ]  # fmt: skip
        widgets = {
            name: date_input()
            for name in ("planned_start", "planned_end", "actual_start", "actual_end")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # People of unknown sex and age (a file's totals): shown and kept, 0 when left empty.
        for name in ("targeted_unknown", "reached_unknown"):
            self.fields[name].required = False

    def clean_targeted_unknown(self) -> int:
        return self.cleaned_data.get("targeted_unknown") or 0

    def clean_reached_unknown(self) -> int:
        return self.cleaned_data.get("reached_unknown") or 0

    def clean_location_pcodes(self) -> list[AdminUnit]:
        pcodes = re.split(r"[\s,;]+", self.cleaned_data["location_pcodes"].strip())
        units = {unit.pcode: unit for unit in AdminUnit.objects.active().filter(pcode__in=pcodes)}
        unknown = [pcode for pcode in pcodes if pcode not in units]
        if unknown:
            raise forms.ValidationError(
                _("Unknown p-codes in the active boundaries: %(pcodes)s.")
                % {"pcodes": ", ".join(unknown)}
            )
        return [units[pcode] for pcode in dict.fromkeys(pcodes)]

    def clean_points_text(self) -> list[list[float]]:
        points = []
        for number, line in enumerate(
            filter(str.strip, self.cleaned_data["points_text"].splitlines()), 1
        ):
            try:
                lon, lat = (float(value.replace(",", ".")) for value in line.split())
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)d: write “longitude latitude”, e.g. “-4.19 14.49”.") % {"n": number}
                ) from None
            points.append([lon, lat])
        if points and AdminUnit.objects.active().exists():
            outside = [
                i + 1 for i, unit in enumerate(finest_units(*zip(*points, strict=True))) if unit < 0
            ]
            if outside:
                raise forms.ValidationError(
                    _("Points outside the country (lines %(lines)s): are longitude and latitude "
                      "swapped?") % {"lines": ", ".join(map(str, outside))}
                )  # fmt: skip
        return points

    def clean_references_text(self) -> list[str]:
        references = re.split(r"[\s,;]+", self.cleaned_data["references_text"].strip())
        references = [ref for ref in references if ref]
        known = set()
        for kind in KINDS.values():
            known.update(
                kind.model.objects.filter(reference__in=references).values_list(
                    "reference", flat=True
                )
            )
        unknown = [ref for ref in references if ref not in known]
        if unknown:
            raise forms.ValidationError(
                _("No validated mine action record %(refs)s.") % {"refs": ", ".join(unknown)}
            )
        return references

    def clean_currency(self) -> str:

        code = self.cleaned_data["currency"].strip().upper()
        validate_currency(code)
        return code

    def clean(self):
        data = super().clean()
        _dates_in_order(self, "planned_start", "planned_end")
        _dates_in_order(self, "actual_start", "actual_end")
        sector, kind = data.get("sector"), data.get("activity_type")
        if sector == Sector.MINE_ACTION and not kind:
            self.add_error("activity_type", _("A mine action activity says its type (EORE, NTS…)."))
        if kind in MINE_ACTION_TYPES and sector and sector != Sector.MINE_ACTION:
            self.add_error(
                "activity_type",
                _("%(type)s is a mine action activity: choose the sector PRO-MIN.")
                % {"type": kind},
            )
        if data.get("status") == "completed" and not data.get("actual_end"):
            self.add_error("actual_end", _("A completed activity has an actual end date."))
        return data


class ResourceForm(forms.ModelForm):
    base = forms.ModelChoiceField(
        AdminUnit.objects.active(), to_field_name="pcode",
        label=gettext_lazy("Base (p-code)"),
        widget=forms.TextInput(attrs={"placeholder": "ML0501"}),
        error_messages={"invalid_choice": gettext_lazy(
            "No admin unit of the active boundaries has this p-code."
        )},
    )  # fmt: skip
    free_periods = forms.CharField(
        label=gettext_lazy("Free periods (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line: YYYY-MM-DD YYYY-MM-DD (from, to)."),
    )  # fmt: skip

    class Meta:
        model = Resource
        fields = [
            "kind", "name", "base", "longitude", "latitude", "capacity", "capacity_unit",
            "max_travel_km", "monthly_cost_usd", "accreditation", "accredited_until", "offered",
            "sharing_conditions",
        ]  # fmt: skip
        widgets = {"accredited_until": date_input()}

    def clean_free_periods(self) -> list[tuple]:
        import datetime

        periods = []
        for number, line in enumerate(
            filter(str.strip, self.cleaned_data["free_periods"].splitlines()), 1
        ):
            try:
                start, end = (datetime.date.fromisoformat(v) for v in line.split())
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)d: write two dates, “2025-01-06 2025-02-28”.") % {"n": number}
                ) from None
            if end < start:
                raise forms.ValidationError(
                    _("Line %(n)d: the end is before the start.") % {"n": number}
                )
            periods.append((start, end))
        return periods

    def clean(self):
        data = super().clean()
        if data.get("offered") and not (data.get("sharing_conditions") or "").strip():
            self.add_error(
                "sharing_conditions",
                _("Say on what conditions it is offered (costs, insurance, notice)."),
            )
        if (data.get("longitude") is None) != (data.get("latitude") is None):
            self.add_error("latitude", _("Give both longitude and latitude, or neither."))
        return data


class LoanForm(forms.ModelForm):
    class Meta:
        model = Loan
        fields = ["start", "end", "purpose"]
        widgets = {"start": date_input(), "end": date_input()}

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource

    def clean(self):
        data = super().clean()
        _dates_in_order(self, "start", "end")
        start, end = data.get("start"), data.get("end")
        if start and end and not self.errors and not is_free(self.resource, start, end):
            raise forms.ValidationError(
                _("%(resource)s is not free from %(start)s to %(end)s: see its calendar.")
                % {"resource": self.resource, "start": start, "end": end}
            )
        return data


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["kind", "name", "start_year", "end_year"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year is before the first."))
        return data


class ObjectiveForm(forms.ModelForm):
    parent_code = forms.CharField(
        label=gettext_lazy("Part of (code)"), required=False, max_length=20,
        help_text=gettext_lazy("Leave empty for a pillar."),
    )  # fmt: skip

    class Meta:
        model = Objective
        fields = ["code", "level", "title"]

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework

    def clean(self):
        data = super().clean()
        code, parent = data.get("code"), (data.get("parent_code") or "").strip()
        if code and self.framework.objectives.filter(code=code).exists():
            self.add_error(
                "code", _("%(code)s is already used in this framework.") % {"code": code}
            )
        data["parent"] = None
        if parent:
            data["parent"] = self.framework.objectives.filter(code=parent).first()
            if data["parent"] is None:
                self.add_error("parent_code", _("No objective %(code)s in this framework.")
                               % {"code": parent})  # fmt: skip
        return data

    def save(self, commit: bool = True) -> Objective:
        objective = super().save(commit=False)
        objective.framework = self.framework
        objective.parent = self.cleaned_data["parent"]
        if commit:
            objective.save()
        return objective


class IndicatorForm(forms.ModelForm):
    objective_code = forms.CharField(label=gettext_lazy("Objective (code)"), max_length=20)

    class Meta:
        model = Indicator
        fields = ["name", "measure", "baseline", "target"]

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework

    def clean_objective_code(self) -> Objective:
        code = self.cleaned_data["objective_code"].strip()
        objective = self.framework.objectives.filter(code=code).first()
        if objective is None:
            raise forms.ValidationError(
                _("No objective %(code)s in this framework.") % {"code": code}
            )
        return objective

    def save(self, commit: bool = True) -> Indicator:
        indicator = super().save(commit=False)
        indicator.objective = self.cleaned_data["objective_code"]
        if commit:
            indicator.save()
        return indicator


class AccessRestrictionForm(forms.ModelForm):
    """An access restriction on an admin unit given by its p-code (active boundaries)."""

    pcode = forms.CharField(label=gettext_lazy("Admin unit (p-code)"), max_length=20)

    class Meta:
        model = AccessRestriction
        fields = ["level", "start", "end", "reason", "source"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}),
                   "end": forms.DateInput(attrs={"type": "date"})}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["pcode"].initial = self.instance.admin_unit.pcode
        self.order_fields(["pcode", "level", "start", "end", "reason", "source"])

    def clean_pcode(self) -> AdminUnit:
        code = self.cleaned_data["pcode"].strip().upper()
        unit = AdminUnit.objects.active().filter(pcode=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("%(code)s is not a p-code of the active boundaries.") % {"code": code}
            )
        return unit

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end is before the start."))
        return data

    def save(self, commit: bool = True) -> AccessRestriction:
        restriction = super().save(commit=False)
        restriction.admin_unit = self.cleaned_data["pcode"]
        if commit:
            restriction.save()
        return restriction
