"""Demo mine action records shaped on public figures (every record is invented).

Landmine Monitor and UNMAS figures for Mali: improvised devices dominate; in 2021,
245 incidents and 400 civilian casualties; incidents by region about Mopti 37 %,
Ségou 25 %, Tombouctou 13 %, Gao 10 %, Kidal 8 %, the rest in Koulikoro, Sikasso and
Kayes. Other years are scaled around 2021. Records are made as Kafo makes them: one
validated field report each, folded into the record tables.

The series is moved in time so that its last year ends yesterday (`demo_date`): the
demo's priorities, alerts and 12-month windows always have recent accidents to count.
"""

import datetime
import json

import numpy as np
import shapely
import shapely.geometry
from django.db import transaction
from django.utils import timezone

from kafo.actors.models import Organisation
from kafo.geo.demo import points_in
from kafo.geo.geometry import areas_km2
from kafo.geo.lookup import finest_units
from kafo.geo.models import AdminUnit
from kafo.mineaction.models import (
    Accident,
    Assistance,
    DeviceFound,
    EoreSession,
    FieldReport,
    Hazard,
    LandReleaseActivity,
    QualityVisit,
    RecordKind,
    ReportStatus,
    Victim,
)  # fmt: skip

INCIDENTS_PER_YEAR = {2019: 170, 2020: 205, 2021: 245, 2022: 230, 2023: 195, 2024: 160}
CIVILIAN_CASUALTIES_2021 = 400
SERIES_END = datetime.date(2024, 12, 31)
REGION_SHARES = {
    "ML05": 0.37, "ML04": 0.25, "ML06": 0.13, "ML07": 0.10, "ML08": 0.08,
    "ML02": 0.03, "ML03": 0.02, "ML01": 0.02,
}  # fmt: skip
DEVICES = {"improvised_mine": 0.74, "erw_uxo": 0.14, "av_mine": 0.06, "unknown": 0.06}
ACTIVITIES = ["travelling_vehicle", "travelling_foot", "herding", "farming", "collecting",
              "playing", "handling", "unknown"]  # fmt: skip
ACTIVITY_WEIGHTS = [0.45, 0.15, 0.1, 0.08, 0.07, 0.06, 0.04, 0.05]
REPORTING = ["HI", "DRC", "MAG", "UNMAS", "CICR"]
GIVEN = ["Amadou", "Aminata", "Oumar", "Fatoumata", "Moussa", "Mariam", "Boubacar", "Awa",
         "Hamadoun", "Kadidia", "Ousmane", "Hawa", "Ibrahim", "Salimata", "Abdoulaye"]  # fmt: skip
FAMILY = ["Traoré", "Diallo", "Coulibaly", "Keïta", "Maïga", "Touré", "Cissé", "Sangaré",
          "Dembélé", "Koné", "Guindo", "Ag Mohamed", "Dicko", "Barry", "Tamboura"]  # fmt: skip


DISABILITY = {"none": 0.4, "amputation_lower": 0.2, "unknown": 0.3, "other": 0.1}
DISPLACEMENT = {"resident": 0.55, "idp": 0.3, "returnee": 0.05, "unknown": 0.1}


CONTAMINATION = {"improvised_mine": 0.75, "erw_uxo": 0.2, "av_mine": 0.05}
BLOCKAGES = {"road": 0.4, "farmland": 0.3, "water_point": 0.15, "grazing": 0.15}
EORE_METHODS = {"direct": 0.6, "focal_point": 0.25, "mass_media": 0.15}
LANGUAGES = {"bm": 0.35, "ff": 0.3, "ses": 0.2, "tmh": 0.1, "fr": 0.05}
EORE_BANDS = ("girls_5_12", "boys_5_12", "girls_13_17", "boys_13_17", "women", "men")


def _geojson(polygon) -> str:
    return json.dumps(shapely.geometry.mapping(shapely.set_precision(polygon, 1e-6)))


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    return str(rng.choice(list(weights), p=list(weights.values())))


def _split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Whole counts in proportion to the shares, summing exactly to `total`."""
    raw = {key: total * share / sum(shares.values()) for key, share in shares.items()}
    counts = {key: int(value) for key, value in raw.items()}
    for key in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[
        : total - sum(counts.values())
    ]:
        counts[key] += 1
    return counts


def demo_date(day: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """A day of the public series (2019–2024) moved so that the series ends yesterday."""
    today = today or timezone.localdate()
    return day + (today - datetime.timedelta(days=1) - SERIES_END)


def _region_shapes() -> dict:
    units = AdminUnit.objects.active().filter(level=1, pcode__in=REGION_SHARES)
    return {unit.pcode: unit.shape for unit in units}


def _accidents(rng: np.random.Generator) -> list[dict]:
    regions = _region_shapes()
    rows = []
    for year, total in INCIDENTS_PER_YEAR.items():
        for pcode, count in _split(total, REGION_SHARES).items():
            if pcode not in regions or count == 0:
                continue
            points = points_in(regions[pcode], count, rng)
            days = rng.integers(0, 365, count)
            devices = rng.choice(list(DEVICES), count, p=list(DEVICES.values()))
            activities = rng.choice(ACTIVITIES, count, p=ACTIVITY_WEIGHTS)
            for (lon, lat), day, device, activity in zip(
                points, days, devices, activities, strict=True
            ):
                date = demo_date(datetime.date(year, 1, 1) + datetime.timedelta(days=int(day)))
                rows.append({
                    "date": date.isoformat(), "longitude": float(lon), "latitude": float(lat),
                    "device_category": str(device), "activity_at_time": str(activity),
                    "accident_type": "civilian",
                    "area_marked": _pick(rng, {"no": 0.7, "unknown": 0.25, "yes": 0.05}),
                })  # fmt: skip
    return rows


def _victims(rng: np.random.Generator, accident_years: np.ndarray) -> list[tuple[int, dict]]:
    """(accident index, victim values); 2021 has exactly 400 civilian casualties."""
    result = []
    for year in np.unique(accident_years):
        indices = np.flatnonzero(accident_years == year)
        civilians = round(CIVILIAN_CASUALTIES_2021 * len(indices) / INCIDENTS_PER_YEAR[2021])
        # every accident has a casualty; the rest fall on accidents at random
        owners = np.concatenate([indices, rng.choice(indices, civilians - len(indices))])
        military = rng.choice(indices, max(1, len(indices) // 10))
        for owner, status in [(i, "civilian") for i in owners] + [
            (i, "military") for i in military
        ]:
            child = status == "civilian" and rng.random() < 0.27
            sex = "male" if status == "military" or rng.random() < 0.72 else "female"
            given = [g for g in GIVEN if (g[-1] == "a") == (sex == "female")] or GIVEN
            result.append((int(owner), {
                "outcome": "killed" if rng.random() < 0.36 else "injured",
                "sex": sex, "age": int(rng.integers(5, 18) if child else rng.integers(18, 70)),
                "status": status,
                "disability_outcome": _pick(rng, DISABILITY),
                "displacement": _pick(rng, DISPLACEMENT),
                "risk_education_before": _pick(rng, {"no": 0.6, "yes": 0.15, "unknown": 0.25}),
                "name": f"{rng.choice(given)} {rng.choice(FAMILY)} (démo)",
                "phone": "+223 7" + " ".join(str(n) for n in rng.integers(10, 100, 3)),
            }))  # fmt: skip
    return result


def _make(kind, prefix, model, rows, organisations, now, extra=lambda i, data: {}):
    """One validated field report per row, and the record it makes (bulk)."""
    reports = FieldReport.objects.bulk_create(
        FieldReport(
            kind=kind, organisation=organisations[i % len(organisations)], data=data,
            date_of_information=demo_date(SERIES_END), source="démo",
            status=ReportStatus.VALIDATED, validated_at=now,
        )
        for i, data in enumerate(rows)
    )  # fmt: skip
    for report in reports:
        report.reference = f"FR-{report.pk:06d}"
        report.record_reference = f"{prefix}-{report.pk:06d}"
    FieldReport.objects.bulk_update(reports, ["reference", "record_reference"])
    links = {"hazard", "activity", "victim", "inspected_organisation", "admin_unit"}
    model.objects.bulk_create(
        model(reference=r.record_reference, organisation_id=r.organisation_id, validated_at=now,
              **{(f"{k}_id" if k in links else k): v for k, v in r.data.items()},
              **extra(i, r.data))
        for i, r in enumerate(reports)
    )  # fmt: skip
    return list(model.objects.filter(reference__in=[r.record_reference for r in reports]))


def _land_and_education(rng, organisations, authority, now) -> None:
    regions = _region_shapes()
    hazards = []
    for pcode, count in _split(140, REGION_SHARES).items():
        if pcode not in regions:
            continue
        for lon, lat in points_in(regions[pcode], count, rng):
            radius = float(rng.uniform(0.001, 0.005))  # about 100 to 550 m
            polygon = shapely.Point(lon, lat).buffer(radius, quad_segs=4)
            hazards.append({
                "classification": _pick(rng, {"sha": 0.5, "cha": 0.3, "indication": 0.2}),
                "status": _pick(rng, {"open": 0.7, "worked_on": 0.2, "suspended": 0.1}),
                "geometry": _geojson(polygon),
                "longitude": float(lon), "latitude": float(lat),
                "evidence_type": "indirect", "evidence": ["verbal", "combat_zone"],
                "contamination": [_pick(rng, CONTAMINATION)],
                "blockages": [_pick(rng, BLOCKAGES)],
                "women": int(rng.integers(20, 400)), "men": int(rng.integers(20, 400)),
                "girls": int(rng.integers(10, 300)), "boys": int(rng.integers(10, 300)),
                "estimated_area_m2": round(float(areas_km2(np.array([polygon]))[0]) * 1e6),
            })  # fmt: skip
    units = finest_units([h["longitude"] for h in hazards], [h["latitude"] for h in hazards])
    made = _make(
        RecordKind.HAZARD, "HAZ", Hazard, hazards, organisations, now,
        lambda i, data: {"admin_unit_id": int(units[i]) if units[i] >= 0 else None,
                         "remaining_area_m2": data["estimated_area_m2"],
                         **dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"),
                                    shapely.geometry.shape(json.loads(data["geometry"])).bounds,
                                    strict=True))},
    )  # fmt: skip
    activities = []
    for hazard in made:
        if rng.random() > 0.6:
            continue
        year = int(rng.integers(2019, 2025))
        start = demo_date(datetime.date(year, int(rng.integers(1, 12)), 1))
        left = hazard.estimated_area_m2
        cancelled = round(left * float(rng.uniform(0.1, 0.5)))
        reduced = (
            round((left - cancelled) * float(rng.uniform(0, 0.4))) if rng.random() < 0.4 else 0
        )
        cleared = round((left - cancelled - reduced) * float(rng.uniform(0, 0.6)))
        kind = "clearance" if cleared else ("ts" if reduced else "nts")
        activities.append({
            "hazard": hazard.pk, "type": kind, "status": "completed",
            "start_date": start.isoformat(),
            "end_date": min(start + datetime.timedelta(days=int(rng.integers(5, 60))),
                            demo_date(SERIES_END)).isoformat(),
            "area_cancelled_m2": cancelled, "area_reduced_m2": reduced, "area_cleared_m2": cleared,
        })  # fmt: skip
    by_hazard = {h.pk: h for h in made}
    done = _make(RecordKind.ACTIVITY, "ACT", LandReleaseActivity, activities, organisations, now)
    for activity in done:
        hazard = by_hazard[activity.hazard_id]
        hazard.remaining_area_m2 = max(0.0, hazard.remaining_area_m2 - activity.released_m2)
    Hazard.objects.bulk_update(made, ["remaining_area_m2"])
    devices = [
        {"activity": activity.pk, "category": _pick(rng, {"improvised_mine": 0.7, "erw_uxo": 0.3}),
         "quantity": int(rng.integers(1, 6)), "condition": "armed", "destruction_method": "in_situ"}
        for activity in done if activity.area_cleared_m2
    ]  # fmt: skip
    _make(RecordKind.DEVICE, "DEV", DeviceFound, devices, organisations, now)
    visits = [
        {"activity": activity.pk, "inspected_organisation": activity.organisation_id,
         "date": activity.end_date.isoformat(),
         "non_conformities": [{"severity": "minor", "description": "registre incomplet",
                               "corrective_action": "compléter le registre"}]}
        for activity in done[:25]
    ]  # fmt: skip
    _make(RecordKind.QUALITY, "QM", QualityVisit, visits, [authority], now)
    sessions = []
    for year in INCIDENTS_PER_YEAR:
        for pcode, count in _split(120, REGION_SHARES).items():
            if pcode not in regions:
                continue
            points = points_in(regions[pcode], count, rng)
            unit_ids = finest_units(points[:, 0], points[:, 1])
            for unit_id in unit_ids:
                day = demo_date(
                    datetime.date(year, 1, 1) + datetime.timedelta(days=int(rng.integers(0, 365)))
                )
                sessions.append({
                    "date": day.isoformat(), "admin_unit": int(unit_id),
                    "method": _pick(rng, EORE_METHODS), "language": _pick(rng, LANGUAGES),
                    **{band: int(rng.integers(5, 60)) for band in EORE_BANDS},
                    "persons_with_disabilities": int(rng.integers(0, 5)),
                    "first_time": int(rng.integers(10, 60)),
                })  # fmt: skip
    _make(RecordKind.EORE, "EORE", EoreSession, sessions, organisations, now)


@transaction.atomic
def create_demo_mine_action(seed: int = 2021) -> dict[str, int]:
    """Validated accidents and victims, plus a few reports waiting in the workbench."""
    if Accident.objects.exists():
        return _counts()
    rng = np.random.default_rng(seed)
    organisations = list(Organisation.objects.filter(acronym__in=REPORTING))
    if not organisations:
        return _counts()
    accidents = _accidents(rng)
    now = timezone.now()

    def reports(kind, prefix, rows, status=ReportStatus.VALIDATED):
        made = FieldReport.objects.bulk_create(
            FieldReport(
                kind=kind, organisation=organisations[i % len(organisations)], data=data,
                date_of_information=datetime.date.fromisoformat(
                    data.get("date", demo_date(SERIES_END).isoformat())),
                source="démo", status=status,
                validated_at=now if status == ReportStatus.VALIDATED else None,
            )
            for i, data in enumerate(rows)
        )  # fmt: skip
        for report in made:
            report.reference = f"FR-{report.pk:06d}"
            report.record_reference = f"{prefix}-{report.pk:06d}"
        FieldReport.objects.bulk_update(made, ["reference", "record_reference"])
        return made

    accident_reports = reports(RecordKind.ACCIDENT, "ACC", accidents)
    units = finest_units([a["longitude"] for a in accidents], [a["latitude"] for a in accidents])
    Accident.objects.bulk_create(
        Accident(reference=r.record_reference, organisation_id=r.organisation_id, validated_at=now,
                 admin_unit_id=int(unit) if unit >= 0 else None, **r.data)
        for r, unit in zip(accident_reports, units, strict=True)
    )  # fmt: skip
    by_reference = dict(Accident.objects.values_list("reference", "pk"))
    moved = demo_date(SERIES_END) - SERIES_END
    years = np.array([(datetime.date.fromisoformat(a["date"]) - moved).year for a in accidents])
    victims = _victims(rng, years)
    victim_rows = [
        {**values, "accident": by_reference[accident_reports[owner].record_reference]}
        for owner, values in victims
    ]
    victim_reports = reports(RecordKind.VICTIM, "VIC", victim_rows)
    Victim.objects.bulk_create(
        Victim(reference=r.record_reference, validated_at=now,
               organisation_id=accident_reports[owner].organisation_id,
               accident_id=r.data["accident"],
               **{k: v for k, v in r.data.items() if k != "accident"})
        for r, (owner, _values) in zip(victim_reports, victims, strict=True)
    )  # fmt: skip
    for report, (owner, _values) in zip(victim_reports, victims, strict=True):
        report.organisation_id = accident_reports[owner].organisation_id
    FieldReport.objects.bulk_update(victim_reports, ["organisation"])
    helped = [victim for victim in Victim.objects.order_by("pk") if rng.random() < 0.4]
    services = {"emergency_medical": 0.35, "rehabilitation": 0.25, "psychological": 0.2,
                "socio_economic": 0.15, "education": 0.05}  # fmt: skip
    assistance = [
        {"victim": victim.pk, "service": _pick(rng, services),
         "date": min(victim.accident.date + datetime.timedelta(days=int(rng.integers(0, 90))),
                     demo_date(SERIES_END)).isoformat(),
         "referral_status": _pick(rng, {"received": 0.6, "completed": 0.25, "referred": 0.15})}
        for victim in Victim.objects.filter(pk__in=[v.pk for v in helped])
        .select_related("accident")
    ]  # fmt: skip
    _make(RecordKind.ASSISTANCE, "VA", Assistance, assistance, organisations, now)
    authority = Organisation.objects.filter(acronym="CNLPAL").first() or organisations[0]
    _land_and_education(rng, organisations, authority, now)
    # New accidents waiting for each step of the workflow.
    waiting = _accidents(np.random.default_rng(seed + 1))[:9]
    for report, status in zip(
        reports(RecordKind.ACCIDENT, "ACC", waiting, ReportStatus.SUBMITTED),
        [ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.ACCEPTED] * 3,
        strict=True,
    ):
        report.status = status
        report.save(update_fields=["status"])
    return _counts()


def _counts() -> dict[str, int]:
    return {
        "accidents": Accident.objects.count(), "victims": Victim.objects.count(),
        "hazards": Hazard.objects.count(),
    }  # fmt: skip
