"""Demo mine action records shaped on public figures (every record is invented).

Landmine Monitor and UNMAS figures for Mali: improvised devices dominate; in 2021,
245 incidents and 400 civilian casualties; incidents by region about Mopti 37 %,
Ségou 25 %, Tombouctou 13 %, Gao 10 %, Kidal 8 %, the rest in Koulikoro, Sikasso and
Kayes. Other years are scaled around 2021. Records are made as Kafo makes them: one
validated field report each, folded into the record tables.
"""

import datetime

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone

from kafo.actors.models import Organisation
from kafo.geo.lookup import finest_units
from kafo.geo.models import AdminUnit
from kafo.mineaction.models import Accident, FieldReport, RecordKind, ReportStatus, Victim

INCIDENTS_PER_YEAR = {2019: 170, 2020: 205, 2021: 245, 2022: 230, 2023: 195, 2024: 160}
CIVILIAN_CASUALTIES_2021 = 400
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


def _points_in(polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    """n random points inside a polygon (rejection sampling in its bounding box)."""
    x0, y0, x1, y1 = polygon.bounds
    shapely.prepare(polygon)
    found = np.empty((0, 2))
    while len(found) < n:
        candidates = np.column_stack([rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)])
        inside = shapely.contains_xy(polygon, candidates[:, 0], candidates[:, 1])
        found = np.vstack([found, candidates[inside]])
    return np.round(found[:n], 6)


def _accidents(rng: np.random.Generator) -> list[dict]:
    regions = {
        unit.pcode: unit.shape
        for unit in AdminUnit.objects.filter(cod_version__is_active=True, level=1,
                                             pcode__in=REGION_SHARES)
    }  # fmt: skip
    rows = []
    for year, total in INCIDENTS_PER_YEAR.items():
        for pcode, count in _split(total, REGION_SHARES).items():
            if pcode not in regions or count == 0:
                continue
            points = _points_in(regions[pcode], count, rng)
            days = rng.integers(0, 365, count)
            devices = rng.choice(list(DEVICES), count, p=list(DEVICES.values()))
            activities = rng.choice(ACTIVITIES, count, p=ACTIVITY_WEIGHTS)
            for (lon, lat), day, device, activity in zip(
                points, days, devices, activities, strict=True
            ):
                date = datetime.date(year, 1, 1) + datetime.timedelta(days=int(day))
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


@transaction.atomic
def create_demo_mine_action(seed: int = 2021) -> dict[str, int]:
    """Validated accidents and victims, plus a few reports waiting in the workbench."""
    if Accident.objects.exists():
        return {"accidents": Accident.objects.count(), "victims": Victim.objects.count()}
    rng = np.random.default_rng(seed)
    organisations = list(Organisation.objects.filter(acronym__in=REPORTING))
    if not organisations:
        return {"accidents": 0, "victims": 0}
    accidents = _accidents(rng)
    now = timezone.now()

    def reports(kind, prefix, rows, status=ReportStatus.VALIDATED):
        made = FieldReport.objects.bulk_create(
            FieldReport(
                kind=kind, organisation=organisations[i % len(organisations)], data=data,
                date_of_information=datetime.date.fromisoformat(data.get("date", "2024-12-31")),
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
    years = np.array([int(a["date"][:4]) for a in accidents])
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
    # New accidents waiting for each step of the workflow.
    waiting = _accidents(np.random.default_rng(seed + 1))[:9]
    for report, status in zip(
        reports(RecordKind.ACCIDENT, "ACC", waiting, ReportStatus.SUBMITTED),
        [ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.ACCEPTED] * 3,
        strict=True,
    ):
        report.status = status
        report.save(update_fields=["status"])
    return {"accidents": Accident.objects.count(), "victims": Victim.objects.count()}
