"""The forms of the 5W: an activity, an access restriction."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.actors.models import Organisation
from kafo.currencies.codes import currency_code
from kafo.geo.lookup import finest_units
from kafo.geo.models import AdminUnit
from kafo.mineaction.kinds import KINDS
from kafo.response.activities.models import AccessRestriction, Activity
from kafo.response.catalogue import MINE_ACTION_TYPES, Sector
from kafo.response.dates import date_input, dates_in_order
from kafo.response.strategies.forms import SharesField


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
        return currency_code(self.cleaned_data["currency"])

    def clean(self):
        data = super().clean()
        dates_in_order(self, "planned_start", "planned_end")
        dates_in_order(self, "actual_start", "actual_end")
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
