"""The forms of the sharing board: a resource, a loan request."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.geo.models import AdminUnit
from kafo.response.dates import date_input, dates_in_order
from kafo.response.sharing.calendar import is_free
from kafo.response.sharing.models import Loan, Resource


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
        dates_in_order(self, "start", "end")
        start, end = data.get("start"), data.get("end")
        if start and end and not self.errors and not is_free(self.resource, start, end):
            raise forms.ValidationError(
                _("%(resource)s is not free from %(start)s to %(end)s: see its calendar.")
                % {"resource": self.resource, "start": start, "end": end}
            )
        return data
