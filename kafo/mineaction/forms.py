"""Forms for each kind of record: what a field report may say, checked before it is kept."""

import json

import numpy as np
import shapely
import shapely.geometry
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.geo.geometry import areas_km2
from kafo.geo.lookup import finest_units
from kafo.geo.models import AdminUnit
from kafo.mineaction import vocabularies as v
from kafo.mineaction.models import (
    Accident,
    Assistance,
    DeviceFound,
    EoreSession,
    Hazard,
    LandReleaseActivity,
    QualityVisit,
    Victim,
)  # fmt: skip


class ReportHeaderForm(forms.Form):
    """Who knows what, since when: the part every field report has."""

    date_of_information = forms.DateField(
        label=gettext_lazy("Date of information"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_date_of_information(self):
        when = self.cleaned_data["date_of_information"]
        if when > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return when

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
            if name.endswith("_m2") and isinstance(field, forms.FloatField):
                field.widget.attrs.setdefault("min", "0")

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        """Stored values as this form shows them: a link by its reference or p-code."""
        initial = dict(values)
        for name, field in cls.base_fields.items():
            key = getattr(field, "to_field_name", None)
            if key and isinstance(initial.get(name), int):
                related = field.queryset.model.objects.filter(pk=initial[name]).first()
                initial[name] = getattr(related, key) if related else None
        return initial

    def _model_fields(self) -> set[str]:
        return {f.name for f in self._meta.model._meta.concrete_fields}

    def clean(self):
        data = super().clean()
        for name in self.fields:
            # An area is never negative (FR-005185 said -200 m²).
            if name.endswith("_m2") and (data.get(name) or 0) < 0:
                self.add_error(name, _("An area cannot be negative."))
        # What happened (an accident, a session, a service, a visit) happened by today;
        # Kafo's field forms refuse a later date too.
        when = data.get("date")
        if "date" in self.fields and when and when > timezone.localdate():
            self.add_error("date", _("The date cannot be in the future."))
        for name, default in self._defaults.items():
            if data.get(name) in (None, ""):
                if self.correction:
                    data.pop(name, None)
                else:
                    data[name] = default
        return data


def _active_country():
    country = AdminUnit.objects.active().filter(level=0).first()
    return country.shape if country else None


def _check_place(form: RecordForm, lon: float, lat: float, field: str) -> int | None:
    """The finest admin unit holding the point; an error if outside the country, a
    warning if outside the unit the report names."""
    unit_id = int(finest_units([lon], [lat])[0])
    if unit_id < 0:
        if AdminUnit.objects.active().exists():
            form.add_error(
                field,
                _("The point %(lon).5f, %(lat).5f is outside the country's boundaries; "
                  "check that longitude and latitude are not swapped.")
                % {"lon": lon, "lat": lat},
            )  # fmt: skip
        return None
    claimed = (form.cleaned_data.get("claimed_pcode") or "").strip()
    if claimed:
        unit = AdminUnit.objects.get(pk=unit_id)
        pcodes = {unit.pcode, *(ancestor.pcode for ancestor in unit.ancestors())}
        if claimed not in pcodes:
            form.warnings.append(
                _("The point falls in %(unit)s (%(pcode)s), not in %(claimed)s as reported.")
                % {"unit": unit.name, "pcode": unit.pcode, "claimed": claimed}
            )
    return unit_id


CLAIMED_PCODE = forms.CharField(
    label=gettext_lazy("Admin unit reported (p-code)"), max_length=32, required=False,
    help_text=gettext_lazy("Optional: Kafo warns when the place falls outside it."),
)  # fmt: skip


class AccidentForm(RecordForm):
    claimed_pcode = CLAIMED_PCODE

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
        _check_place(self, lon, lat, "longitude")
        return data


def _reference_field(model, label, placeholder):
    return forms.ModelChoiceField(
        queryset=model.objects.all(), to_field_name="reference", label=label,
        widget=forms.TextInput(attrs={"placeholder": placeholder}),
        error_messages={"invalid_choice": gettext_lazy(
            "No validated record has this reference; it must be validated first."
        )},
    )  # fmt: skip


class VictimForm(RecordForm):
    accident = _reference_field(Accident, gettext_lazy("Accident (reference)"), "ACC-000001")

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


def parse_geometry(text: str) -> shapely.Geometry:
    """A polygon from GeoJSON (geometry or feature) or WKT, as QGIS and KoBo export them."""
    text = text.strip()
    if not text.startswith("{"):
        return _checked_polygon(_polygon_from_wkt(text))
    try:
        document = json.loads(text)
        if document.get("type") == "Feature":
            document = document.get("geometry") or {}
        if document.get("type") == "FeatureCollection":
            raise forms.ValidationError(
                _("Give one polygon, not a collection of %(n)d features.")
                % {"n": len(document.get("features", []))}
            )
        geometry = shapely.geometry.shape(document)
    except forms.ValidationError:
        raise
    except json.JSONDecodeError as error:
        raise forms.ValidationError(
            _("Not readable GeoJSON: %(reason)s at line %(line)d, column %(column)d.")
            % {"reason": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    except Exception:
        raise forms.ValidationError(
            _(
                'Not a GeoJSON polygon: write {"type": "Polygon", "coordinates": [[[lon, lat], '
                "…]]}, as QGIS exports it."
            )
        ) from None
    return _checked_polygon(geometry)


def _polygon_from_wkt(text: str) -> shapely.Geometry:
    """WKT as QGIS writes it, with a French reason instead of GEOS's message."""
    try:
        return shapely.from_wkt(text)
    except Exception:
        head = text.split("(")[0].strip().upper()[:30] or text[:30]
        if head not in {"POLYGON", "MULTIPOLYGON", "POLYGON Z", "MULTIPOLYGON Z"}:
            reason = _("it starts with “%(head)s”, not POLYGON or MULTIPOLYGON") % {"head": head}
        elif text.count("(") != text.count(")"):
            reason = _("its parentheses do not pair up")
        else:
            reason = _("each point is “longitude latitude”, points separated by commas")
        raise forms.ValidationError(
            _(
                "Not readable WKT (%(reason)s): write POLYGON ((lon lat, lon lat, lon lat, "
                "lon lat)), the first point repeated last."
            )
            % {"reason": reason}
        ) from None


def _checked_polygon(geometry: shapely.Geometry) -> shapely.Geometry:
    if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
        raise forms.ValidationError(
            _("Expected a polygon, got a %(type)s.") % {"type": geometry.geom_type}
        )
    if not shapely.is_valid(geometry):
        raise forms.ValidationError(
            _("Invalid polygon: %(reason)s.") % {"reason": shapely.is_valid_reason(geometry)}
        )
    x0, y0, x1, y1 = geometry.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise forms.ValidationError(
            _("The coordinates are not longitude/latitude (WGS 84): reproject the layer first.")
        )
    return geometry


def _multiple(choices, label, required=False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, label=label, required=required, widget=forms.CheckboxSelectMultiple
    )


class HazardForm(RecordForm):
    geometry = forms.CharField(
        label=gettext_lazy("Polygon (GeoJSON or WKT)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Paste the polygon from QGIS or KoBo; or give a point below."),
    )  # fmt: skip
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False)
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False)
    evidence = _multiple(v.Evidence.choices, gettext_lazy("Evidence seen"))
    contamination = _multiple(v.Contamination.choices, gettext_lazy("Contamination"), True)
    blockages = _multiple(v.Blockage.choices, gettext_lazy("Blockages"))
    claimed_pcode = CLAIMED_PCODE

    class Meta:
        model = Hazard
        fields = [
            "name", "classification", "status", "geometry", "longitude", "latitude",
            "estimated_area_m2", "evidence_type", "evidence", "contamination", "blockages",
            "women", "men", "girls", "boys", "description",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        polygon = None
        if text := data.get("geometry"):
            try:
                polygon = parse_geometry(text)
            except forms.ValidationError as error:
                self.add_error("geometry", error)
                return data
            data["geometry"] = json.dumps(
                shapely.geometry.mapping(shapely.set_precision(polygon, 1e-7))
            )
            if data.get("longitude") is None or data.get("latitude") is None:
                point = polygon.representative_point()
                data["longitude"], data["latitude"] = round(point.x, 7), round(point.y, 7)
            if not data.get("estimated_area_m2"):
                data["estimated_area_m2"] = round(float(areas_km2(np.array([polygon]))[0]) * 1e6)
            country = _active_country()
            if country is not None and not country.buffer(0.01).covers(polygon):
                swapped = shapely.transform(polygon, lambda xy: xy[:, ::-1])
                if country.buffer(0.01).covers(swapped):
                    self.add_error("geometry", _(
                        "The polygon is outside the country, and inside it with longitude and "
                        "latitude swapped: write each point as “longitude latitude”."
                    ))  # fmt: skip
                else:
                    self.add_error(
                        "geometry", _("The polygon goes beyond the country's boundaries.")
                    )
                return data
        if data.get("longitude") is None or data.get("latitude") is None:
            if not self.correction:
                self.add_error(
                    "geometry", _("Give a polygon, or a point (longitude and latitude).")
                )
            return data
        _check_place(self, data["longitude"], data["latitude"], "longitude")
        if data.get("evidence_type") == v.EvidenceType.DIRECT and not (
            set(data.get("evidence") or []) & set(v.DIRECT_EVIDENCE)
        ):
            self.add_error(
                "evidence", _("Direct evidence: tick what was seen (detonation, mine signs…).")
            )
        if polygon is not None:
            for other in probable_duplicates(polygon, data.get("contamination") or []):
                self.warnings.append(
                    _("Probable duplicate of %(ref)s: the polygons overlap and share a "
                      "contamination type.") % {"ref": other}
                )  # fmt: skip
        return data


def probable_duplicates(polygon, contamination: list[str], exclude: str = "") -> list[str]:
    """References of validated hazards whose polygon overlaps this one with a shared
    contamination type (IMSMA NG let these through)."""
    x0, y0, x1, y1 = polygon.bounds
    candidates = (
        Hazard.objects.exclude(geometry="")
        .exclude(reference=exclude)
        .filter(min_lon__lte=x1, max_lon__gte=x0, min_lat__lte=y1, max_lat__gte=y0)
    )
    found = []
    for reference, geometry, types in candidates.values_list(
        "reference", "geometry", "contamination"
    ):
        other = shapely.geometry.shape(json.loads(geometry))
        if (
            set(types) & set(contamination)
            and shapely.area(shapely.intersection(polygon, other)) > 0
        ):
            found.append(reference)
    return found


class LandReleaseActivityForm(RecordForm):
    hazard = _reference_field(Hazard, gettext_lazy("Hazard (reference)"), "HAZ-000001")

    class Meta:
        model = LandReleaseActivity
        fields = [
            "hazard", "type", "status", "start_date", "end_date", "area_cancelled_m2",
            "area_reduced_m2", "area_cleared_m2", "notes",
        ]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        hazard = data.get("hazard")
        released = sum(
            data.get(n) or 0 for n in ("area_cancelled_m2", "area_reduced_m2", "area_cleared_m2")
        )
        if (
            hazard is not None
            and hazard.estimated_area_m2
            and released > hazard.estimated_area_m2 * 1.05
        ):
            self.warnings.append(
                _(
                    "%(released).0f m² released is more than the hazard's estimated "
                    "%(estimated).0f m²."
                )
                % {"released": released, "estimated": hazard.estimated_area_m2}
            )
        return data


class DeviceForm(RecordForm):
    activity = _reference_field(
        LandReleaseActivity, gettext_lazy("Activity (reference)"), "ACT-000001"
    )

    class Meta:
        model = DeviceFound
        fields = [
            "activity",
            "category",
            "model",
            "quantity",
            "depth_cm",
            "condition",
            "destruction_method",
        ]


class EoreForm(RecordForm):
    admin_unit = forms.ModelChoiceField(
        queryset=AdminUnit.objects.active(), to_field_name="pcode",
        label=gettext_lazy("Admin unit (p-code)"),
        widget=forms.TextInput(attrs={"placeholder": "ML0501"}),
        error_messages={"invalid_choice": gettext_lazy(
            "No admin unit of the active boundaries has this p-code."
        )},
    )  # fmt: skip

    class Meta:
        model = EoreSession
        fields = [
            "date", "admin_unit", "place", "method", "language", "girls_5_12", "boys_5_12",
            "girls_13_17", "boys_13_17", "women", "men", "persons_with_disabilities", "first_time",
        ]  # fmt: skip
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        bands = ("girls_5_12", "boys_5_12", "girls_13_17", "boys_13_17", "women", "men")
        total = sum(data.get(name) or 0 for name in bands)
        if not self.correction and total == 0:
            self.add_error(None, _("A session reached somebody: give the audience by sex and age."))
        for name in ("persons_with_disabilities", "first_time"):
            if (data.get(name) or 0) > total and not self.correction:
                self.add_error(
                    name, _("More than the %(total)d people reached.") % {"total": total}
                )
        return data


class AssistanceForm(RecordForm):
    victim = forms.ModelChoiceField(
        queryset=Victim.objects.all(), to_field_name="reference", required=False,
        label=gettext_lazy("Victim (reference)"),
        widget=forms.TextInput(attrs={"placeholder": "VIC-000001"}),
        error_messages={"invalid_choice": gettext_lazy(
            "No validated victim has this reference; it must be validated first."
        )},
    )  # fmt: skip

    class Meta:
        model = Assistance
        fields = ["victim", "household", "service", "date", "referral_status"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        if not self.correction and not data.get("victim") and not data.get("household"):
            self.add_error("victim", _("Name the victim (reference) or the household served."))
        return data


class QualityVisitForm(RecordForm):
    activity = _reference_field(
        LandReleaseActivity, gettext_lazy("Activity inspected (reference)"), "ACT-000001"
    )
    non_conformities = forms.CharField(
        label=gettext_lazy("Non-conformities"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One per line: severity (minor, major, critical) ; description ; corrective action"
        ),
    )  # fmt: skip

    class Meta:
        model = QualityVisit
        fields = ["activity", "inspected_organisation", "date", "non_conformities"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        initial = super().initial_from(values)
        initial["non_conformities"] = "\n".join(
            f"{item['severity']} ; {item['description']} ; {item['corrective_action']}"
            for item in values.get("non_conformities") or []
        )
        return initial

    def clean_non_conformities(self) -> list[dict]:
        value = self.cleaned_data.get("non_conformities")
        if isinstance(value, list):
            return value
        items, severities = [], dict(v.Severity.choices)
        labels = {str(label).lower(): code for code, label in severities.items()}
        for number, line in enumerate(filter(str.strip, (value or "").splitlines()), start=1):
            parts = [part.strip() for part in line.split(";")]
            severity = labels.get(parts[0].lower(), parts[0].lower())
            if severity not in severities or len(parts) < 2 or not parts[1]:
                raise forms.ValidationError(
                    _("Line %(n)d: write “severity ; description ; corrective action” with a "
                      "severity among minor, major, critical.") % {"n": number}
                )  # fmt: skip
            items.append({"severity": severity, "description": parts[1],
                          "corrective_action": parts[2] if len(parts) > 2 else ""})  # fmt: skip
        return items


class QuickHazardForm(forms.Form):
    """A hazard indication as a person in the field gives it, in a minute and with no
    link: where, what was seen, how it is known. It becomes a hazard field report of
    classification *indication*, for an operator to verify (as a community alert)."""

    date_seen = forms.DateField(label=gettext_lazy("Seen on"),
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    pcode = forms.CharField(label=gettext_lazy("Place (p-code)"), max_length=32)
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False,
                                 min_value=-180, max_value=180)  # fmt: skip
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False,
                                min_value=-90, max_value=90)  # fmt: skip
    contamination = forms.MultipleChoiceField(
        label=gettext_lazy("What was seen or suspected"), choices=v.Contamination.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    evidence = forms.ChoiceField(
        label=gettext_lazy("How it is known"),
        choices=[(c, label) for c, label in v.Evidence.choices
                 if c in ("visual", "verbal", "detonation", "accident", "mine_signs")],
    )  # fmt: skip
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=2000)  # fmt: skip

    def clean_date_seen(self):
        when = self.cleaned_data["date_seen"]
        if when > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return when

    def clean_pcode(self) -> AdminUnit:
        pcode = self.cleaned_data["pcode"].strip().upper()
        unit = AdminUnit.objects.active().filter(pcode=pcode).without_geometry().first()
        if unit is None:
            raise forms.ValidationError(_("%s is not a p-code of the active boundaries.") % pcode)
        return unit

    def clean(self):
        data = super().clean()
        if (data.get("longitude") is None) != (data.get("latitude") is None):
            raise forms.ValidationError(_("Give both the longitude and the latitude, or neither."))
        return data

    def hazard_values(self) -> dict:
        """The hazard field report's values: at the given point, or the unit's."""
        data, unit = self.cleaned_data, self.cleaned_data["pcode"]
        lon, lat = data.get("longitude"), data.get("latitude")
        if lon is None or lat is None:
            lon, lat = unit.label_lon, unit.label_lat
        return {
            "name": _("Indication %(date)s, %(unit)s") % {
                "date": data["date_seen"].isoformat(), "unit": unit.name},
            "classification": "indication", "status": "open", "longitude": lon,
            "latitude": lat, "evidence_type": "indirect", "evidence": [data["evidence"]],
            "contamination": data["contamination"], "description": data["description"],
            "claimed_pcode": unit.pcode,
        }  # fmt: skip
