"""Forms for each kind of record: what a field report may say, checked before it is kept."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.geo.lookup import finest_units
from kafo.geo.models import AdminUnit
from kafo.mineaction.models import Accident, Victim


class ReportHeaderForm(forms.Form):
    """Who knows what, since when: the part every field report has."""

    date_of_information = forms.DateField(
        label=gettext_lazy("Date of information"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(
        label=gettext_lazy("Source"), max_length=255, required=False,
        help_text=gettext_lazy("Survey team, health centre, community focal point…"),
    )  # fmt: skip


class RecordForm(forms.ModelForm):
    """A record's fields; `warnings` collects what is odd but allowed."""

    def __init__(self, *args, correction: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # In a correction, a value left out means "unchanged", not the default.
        self.correction = correction
        self.warnings: list[str] = []
        # A field with a default ("unknown") may be left out; the default is then reported.
        self._defaults = {}
        for name, field in self.fields.items():
            model_field = (
                self._meta.model._meta.get_field(name) if name in self._model_fields() else None
            )
            if model_field is not None and model_field.has_default():
                field.required = False
                self._defaults[name] = model_field.get_default()

    def _model_fields(self) -> set[str]:
        return {f.name for f in self._meta.model._meta.concrete_fields}

    def clean(self):
        data = super().clean()
        for name, default in self._defaults.items():
            if data.get(name) in (None, ""):
                if self.correction:
                    data.pop(name, None)
                else:
                    data[name] = default
        return data


class AccidentForm(RecordForm):
    claimed_pcode = forms.CharField(
        label=gettext_lazy("Admin unit reported (p-code)"), max_length=32, required=False,
        help_text=gettext_lazy("Optional: Kafo warns when the point falls outside it."),
    )  # fmt: skip

    class Meta:
        model = Accident
        fields = [
            "date", "longitude", "latitude", "place_description", "device_category",
            "accident_type", "activity_at_time", "area_marked", "narrative",
        ]  # fmt: skip
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        lon, lat = data.get("longitude"), data.get("latitude")
        if lon is None or lat is None:
            return data
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise forms.ValidationError(
                _("Longitude must be between -180 and 180 and latitude between -90 and 90 "
                  "(decimal degrees, WGS 84)."),
                code="out_of_range",
            )  # fmt: skip
        unit_id = int(finest_units([lon], [lat])[0])
        if unit_id < 0 and AdminUnit.objects.filter(cod_version__is_active=True).exists():
            self.add_error(
                "longitude",
                _("The point %(lon).5f, %(lat).5f is outside the country's boundaries; "
                  "check that longitude and latitude are not swapped.")
                % {"lon": lon, "lat": lat},
            )  # fmt: skip
            return data
        claimed = (data.get("claimed_pcode") or "").strip()
        if claimed and unit_id >= 0:
            unit = AdminUnit.objects.get(pk=unit_id)
            pcodes = {unit.pcode, *(ancestor.pcode for ancestor in unit.ancestors())}
            if claimed not in pcodes:
                self.warnings.append(
                    _("The point falls in %(unit)s (%(pcode)s), not in %(claimed)s as reported.")
                    % {"unit": unit.name, "pcode": unit.pcode, "claimed": claimed}
                )
        return data


class VictimForm(RecordForm):
    accident = forms.ModelChoiceField(
        queryset=Accident.objects.all(), to_field_name="reference",
        widget=forms.TextInput(attrs={"placeholder": "ACC-000001"}),
        label=gettext_lazy("Accident (reference)"),
        error_messages={"invalid_choice": gettext_lazy(
            "No validated accident has this reference; the accident must be validated first."
        )},
    )  # fmt: skip

    class Meta:
        model = Victim
        fields = [
            "accident", "outcome", "sex", "age", "status", "injuries", "disability_outcome",
            "displacement", "risk_education_before", "name", "id_number", "phone", "address",
        ]  # fmt: skip

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        digits = phone.replace(" ", "").replace("-", "").replace(".", "")
        if phone and not (digits.lstrip("+").isdigit() and 8 <= len(digits.lstrip("+")) <= 15):
            raise forms.ValidationError(
                _("A phone number has 8 to 15 digits, optionally with + and the country code "
                  "(for example +223 76 12 34 56)."),
                code="phone",
            )  # fmt: skip
        return phone
