"""The kinds of mine action records: model, form, reference prefix, what lists, exports
and maps show, and what is derived when the current view is rebuilt."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import shapely
import shapely.geometry
from django.db import models
from django.db.models import Sum

from kafo.geo.lookup import finest_units
from kafo.mineaction import forms as record_forms
from kafo.mineaction.models import (
    Accident,
    Assistance,
    DeviceFound,
    EoreSession,
    Hazard,
    LandReleaseActivity,
    QualityVisit,
    RecordKind,
    Victim,
)  # fmt: skip


@dataclass(frozen=True)
class Kind:
    code: str
    model: type[models.Model]
    prefix: str
    form: type[record_forms.RecordForm]
    # Columns of the list page and of exports, with their HXL hashtags.
    columns: dict[str, str]
    # Lookups for the list filters: admin unit p-code, status, and the date of the record.
    unit_path: str | None = None
    status_field: str | None = None
    date_field: str | None = None
    # Derive fields (admin unit, bounding box, remaining area) before saving.
    derive: Callable[[models.Model], None] | None = None
    # Update other records after saving (a hazard's remaining area after an activity).
    after_save: Callable[[models.Model], None] | None = None
    parents: dict[str, str] = field(default_factory=dict)
    # Where the record is on a map: the path to the record holding its place ("" for
    # itself), and the field that sums it up in a popup.
    place: str = ""
    summary: str | None = None

    def located(self, record: models.Model) -> models.Model | None:
        """The record that holds this one's place (a victim's accident), or None."""
        for part in filter(None, self.place.split("__")):
            record = getattr(record, part)
            if record is None:
                return None
        return record

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def label_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)


def _unit_from_point(record) -> None:
    unit = int(finest_units([record.longitude], [record.latitude])[0])
    record.admin_unit_id = unit if unit >= 0 else None


def released_on(hazard: Hazard) -> float:
    """Area released on a hazard by its validated activities (cancelled, reduced, cleared)."""
    totals = hazard.activities.aggregate(
        c=Sum("area_cancelled_m2"), r=Sum("area_reduced_m2"), k=Sum("area_cleared_m2")
    )
    return sum(value or 0 for value in totals.values())


def _derive_hazard(hazard: Hazard) -> None:
    _unit_from_point(hazard)
    if hazard.geometry:
        x0, y0, x1, y1 = shapely.geometry.shape(json.loads(hazard.geometry)).bounds
    else:
        x0 = x1 = hazard.longitude
        y0 = y1 = hazard.latitude
    hazard.min_lon, hazard.min_lat, hazard.max_lon, hazard.max_lat = x0, y0, x1, y1
    if hazard.estimated_area_m2 is not None:
        released = released_on(hazard) if hazard.pk else 0
        hazard.remaining_area_m2 = max(0.0, hazard.estimated_area_m2 - released)


def _update_hazard(activity: LandReleaseActivity) -> None:
    hazard = activity.hazard
    _derive_hazard(hazard)
    hazard.save(update_fields=["remaining_area_m2", "min_lon", "min_lat", "max_lon", "max_lat",
                               "admin_unit"])  # fmt: skip


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            RecordKind.HAZARD, Hazard, "HAZ", record_forms.HazardForm,
            columns={"reference": "#loc+id+x_kafo", "name": "#loc+name",
                     "classification": "#loc+type", "status": "#status",
                     "admin_unit__pcode": "#adm+code",
                     "admin_unit__name": "#adm+name", "longitude": "#geo+lon",
                     "latitude": "#geo+lat", "estimated_area_m2": "#x_area+estimated",
                     "remaining_area_m2": "#x_area+remaining", "organisation__name": "#org+name"},
            unit_path="admin_unit__pcode", status_field="status",
            derive=_derive_hazard, summary="classification",
        ),
        Kind(
            RecordKind.ACTIVITY, LandReleaseActivity, "ACT", record_forms.LandReleaseActivityForm,
            columns={"reference": "#activity+id+x_kafo", "hazard__reference": "#loc+id",
                     "type": "#activity+type", "status": "#status", "start_date": "#date+start",
                     "end_date": "#date+end", "area_cancelled_m2": "#x_area+cancelled",
                     "area_reduced_m2": "#x_area+reduced", "area_cleared_m2": "#x_area+cleared",
                     "organisation__name": "#org+impl"},
            unit_path="hazard__admin_unit__pcode", status_field="status", date_field="start_date",
            after_save=_update_hazard, parents={"hazard": "hazard"},
            place="hazard", summary="type",
        ),
        Kind(
            RecordKind.DEVICE, DeviceFound, "DEV", record_forms.DeviceForm,
            columns={"reference": "#item+id+x_kafo", "activity__reference": "#activity+id",
                     "category": "#item+type", "model": "#item+name", "quantity": "#item+num",
                     "depth_cm": "#indicator+depth", "condition": "#status",
                     "destruction_method": "#indicator+destruction"},
            unit_path="activity__hazard__admin_unit__pcode", parents={"activity": "activity"},
            place="activity__hazard", summary="category",
        ),
        Kind(
            RecordKind.ACCIDENT, Accident, "ACC", record_forms.AccidentForm,
            columns={"reference": "#event+id+x_kafo", "date": "#date+occurred",
                     "organisation__name": "#org+name", "admin_unit__pcode": "#adm+code",
                     "admin_unit__name": "#adm+name", "longitude": "#geo+lon",
                     "latitude": "#geo+lat", "device_category": "#indicator+device",
                     "accident_type": "#event+type", "activity_at_time": "#indicator+activity",
                     "area_marked": "#indicator+marked"},
            unit_path="admin_unit__pcode", date_field="date", derive=_unit_from_point,
            summary="device_category",
        ),
        Kind(
            RecordKind.VICTIM, Victim, "VIC", record_forms.VictimForm,
            columns={"reference": "#affected+id+x_kafo", "accident__reference": "#event+id",
                     "accident__date": "#date+occurred", "outcome": "#affected+outcome",
                     "sex": "#affected+sex", "age": "#affected+age", "status": "#affected+type",
                     "name": "#affected+name"},
            unit_path="accident__admin_unit__pcode", date_field="accident__date",
            parents={"accident": "accident"}, place="accident", summary="outcome",
        ),
        Kind(
            RecordKind.EORE, EoreSession, "EORE", record_forms.EoreForm,
            columns={"reference": "#activity+id+x_kafo", "date": "#date",
                     "admin_unit__pcode": "#adm+code", "admin_unit__name": "#adm+name",
                     "method": "#activity+method",
                     "language": "#meta+lang", "girls_5_12": "#reached+f+children",
                     "boys_5_12": "#reached+m+children", "girls_13_17": "#reached+f+adolescents",
                     "boys_13_17": "#reached+m+adolescents", "women": "#reached+f+adults",
                     "men": "#reached+m+adults", "persons_with_disabilities": "#reached+disabled",
                     "organisation__name": "#org+impl"},
            unit_path="admin_unit__pcode", date_field="date", summary="method",
        ),
        Kind(
            RecordKind.ASSISTANCE, Assistance, "VA", record_forms.AssistanceForm,
            columns={"reference": "#service+id+x_kafo", "victim__reference": "#affected+id",
                     "service": "#service+type", "date": "#date", "referral_status": "#status",
                     "organisation__name": "#org+provider"},
            unit_path="victim__accident__admin_unit__pcode", date_field="date",
            parents={"victim": "victim"}, place="victim__accident", summary="service",
        ),
        Kind(
            RecordKind.QUALITY, QualityVisit, "QM", record_forms.QualityVisitForm,
            columns={"reference": "#activity+id+qm+x_kafo", "activity__reference": "#activity+id",
                     "date": "#date", "inspected_organisation__name": "#org+inspected",
                     "organisation__name": "#org+inspector"},
            unit_path="activity__hazard__admin_unit__pcode", date_field="date",
            parents={"activity": "activity"}, place="activity__hazard",
        ),
    ]
}  # fmt: skip
