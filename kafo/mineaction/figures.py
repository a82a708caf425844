"""Official figures, from the validated current view only (the record tables)."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Case, CharField, Count, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from kafo.mineaction.models import (
    Accident,
    Assistance,
    EoreSession,
    Hazard,
    LandReleaseActivity,
    Victim,
)  # fmt: skip
from kafo.mineaction.vocabularies import HazardStatus, ReferralStatus
from kafo.security.suppression import suppress, suppress_breakdown


def _unit(queryset: QuerySet, path: str, pcode: str | None) -> QuerySet:
    if not pcode:
        return queryset
    return queryset.filter(**{f"{path}__pcode__startswith": pcode,
                              f"{path}__cod_version__is_active": True})  # fmt: skip


def casualties(pcode: str | None = None, year: int | None = None) -> dict[str, dict]:
    """Casualties per year: killed/injured, sex, age (child under 18), civilian status."""
    victims = _unit(Victim.objects.all(), "accident__admin_unit", pcode)
    if year:
        victims = victims.filter(accident__date__year=year)
    age = Case(When(age__isnull=True, then=Value("unknown")),
               When(age__lt=18, then=Value("child")), default=Value("adult"),
               output_field=CharField())  # fmt: skip
    # Counted by the database, a row per combination (a few dozen), not per victim.
    groups = (
        victims.annotate(year_=ExtractYear("accident__date"), age_class=age)
        .values_list("year_", "outcome", "sex", "age_class", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    grouped: dict[int, list] = defaultdict(list)
    for year_, *group in groups:
        grouped[year_].append(group)
    by_year: dict[str, dict] = {}
    for year_, items in sorted(grouped.items()):
        outcomes: Counter[str] = Counter()
        sexes: Counter[str] = Counter()
        ages: Counter[str] = Counter()
        statuses: Counter[str] = Counter()
        for outcome, sex, age_class, status, n in items:
            outcomes[outcome] += n
            sexes[sex] += n
            ages[age_class] += n
            statuses[status] += n
        by_year[str(year_)] = {
            "total": sum(outcomes.values()),
            "killed": outcomes.get("killed", 0),
            "injured": outcomes.get("injured", 0),
            "sex": dict(sexes),
            "age": dict(ages),
            "status": dict(statuses),
        }
    return by_year


def casualties_by_month(first: datetime.date, months: int,
                        pcode: str | None = None) -> list[tuple[str, int, int]]:  # fmt: skip
    """Casualties of each month from `first`'s month on: (YYYY-MM, killed, injured),
    every month listed (none: zeros), by the accident's date."""
    start = first.replace(day=1)
    keys = []
    year, month = start.year, start.month
    for _n in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    end = datetime.date(year, month, 1)  # the first day after the last month
    victims = _unit(Victim.objects.filter(accident__date__gte=start, accident__date__lt=end),
                    "accident__admin_unit", pcode)  # fmt: skip
    counted = (victims.annotate(y=ExtractYear("accident__date"), m=ExtractMonth("accident__date"))
               .values_list("y", "m", "outcome").annotate(n=Count("id")).order_by())  # fmt: skip
    by_month: dict[str, Counter] = {key: Counter() for key in keys}
    for y, m, outcome, n in counted:
        by_month[f"{y:04d}-{m:02d}"][outcome] += n
    return [(key, by_month[key]["killed"], by_month[key]["injured"]) for key in keys]


def casualty_years() -> list[int]:
    """The years that have casualties, the latest first."""
    years = Victim.objects.values_list(ExtractYear("accident__date"), flat=True).distinct()
    return sorted((int(y) for y in years.order_by() if y is not None), reverse=True)


def count_under(pcodes: dict[str, int], unit_pcodes: list[str]) -> dict[str, int]:
    """How many fall under each unit, from counts per p-code (a child's p-code extends
    its parent's)."""
    by_length: dict[int, Counter] = {length: Counter() for length in map(len, unit_pcodes)}
    for pcode, n in pcodes.items():
        for length, counts in by_length.items():
            if pcode:
                counts[pcode[:length]] += n
    return {code: by_length[len(code)][code] for code in unit_pcodes}


def count_per_pcode(queryset: QuerySet, path: str) -> dict[str, int]:
    """The rows of `queryset` counted per p-code at `path` (by the database)."""
    rows = queryset.values_list(path).annotate(n=Count("pk")).order_by()
    return {pcode: n for pcode, n in rows if pcode}


def accidents_by_unit(unit_pcodes: list[str], year: int | None = None) -> dict[str, int]:
    """Validated accidents counted under each of these admin units."""
    accidents = Accident.objects.filter(admin_unit__cod_version__is_active=True)
    if year:
        accidents = accidents.filter(date__year=year)
    return count_under(count_per_pcode(accidents, "admin_unit__pcode"), unit_pcodes)


def casualties_by_unit(unit_pcodes: list[str], year: int | None = None) -> dict[str, int]:
    """Validated casualties counted under each of these admin units."""
    victims = Victim.objects.filter(accident__admin_unit__cod_version__is_active=True)
    if year:
        victims = victims.filter(accident__date__year=year)
    return count_under(count_per_pcode(victims, "accident__admin_unit__pcode"), unit_pcodes)


def remaining_area_by_unit(unit_pcodes: list[str]) -> dict[str, float]:
    """remaining_area_m2 under each of these admin units, in one query."""
    hazards = Hazard.objects.exclude(status=HazardStatus.CLOSED).filter(
        admin_unit__cod_version__is_active=True
    )
    rows = hazards.values_list("admin_unit__pcode").annotate(m2=Sum("remaining_area_m2"))
    by_length: dict[int, dict[str, float]] = {n: defaultdict(float) for n in map(len, unit_pcodes)}
    for pcode, m2 in rows.order_by():
        for length, sums in by_length.items():
            if pcode:
                sums[pcode[:length]] += float(m2 or 0)
    return {code: by_length[len(code)].get(code, 0.0) for code in unit_pcodes}


def suppressed(year_figures: dict) -> dict:
    """One year's casualty figures as the public and donors see them."""
    # Killed and injured add up to the total shown next to them: hidden together, or
    # total − injured would give the killed back (complementary suppression).
    outcomes = suppress_breakdown({k: year_figures[k] for k in ("killed", "injured")})
    return {
        "total": suppress(year_figures["total"]),
        **outcomes,
        **{key: suppress_breakdown(year_figures[key]) for key in ("sex", "age", "status")},
    }


def remaining_area_m2(pcode: str | None = None) -> float:
    """Contaminated area still to release: hazards not closed, their remaining m²."""
    hazards = _unit(Hazard.objects.exclude(status=HazardStatus.CLOSED), "admin_unit", pcode)
    return float(hazards.aggregate(total=Sum("remaining_area_m2"))["total"] or 0)


def released_area_m2(pcode: str | None = None, year: int | None = None) -> dict[str, dict]:
    """Area released per year (of the activity's end, else start) by method, in m²."""
    activities = _unit(LandReleaseActivity.objects.all(), "hazard__admin_unit", pcode)
    activities = activities.annotate(year=ExtractYear(Coalesce("end_date", "start_date")))
    if year:
        activities = activities.filter(year=year)
    rows = activities.values("year").annotate(
        cancelled=Sum("area_cancelled_m2"), reduced=Sum("area_reduced_m2"),
        cleared=Sum("area_cleared_m2"),
    ).order_by("year")  # fmt: skip
    return {
        str(row["year"]): {
            "cancelled": row["cancelled"] or 0,
            "reduced": row["reduced"] or 0,
            "cleared": row["cleared"] or 0,
            "total": (row["cancelled"] or 0) + (row["reduced"] or 0) + (row["cleared"] or 0),
        }
        for row in rows
    }


EORE_BANDS = ("girls_5_12", "boys_5_12", "girls_13_17", "boys_13_17", "women", "men")


def eore_beneficiaries(pcode: str | None = None, year: int | None = None) -> dict[str, dict]:
    """People reached by risk education per year, by sex and age band."""
    sessions = _unit(EoreSession.objects.all(), "admin_unit", pcode)
    if year:
        sessions = sessions.filter(date__year=year)
    rows = sessions.values(year=ExtractYear("date")).annotate(
        sessions=Count("id"), **{band: Sum(band) for band in EORE_BANDS},
        persons_with_disabilities=Sum("persons_with_disabilities"), first_time=Sum("first_time"),
    ).order_by("year")  # fmt: skip
    result = {}
    for row in rows:
        bands = {band: row[band] or 0 for band in EORE_BANDS}
        result[str(row["year"])] = {
            "total": sum(bands.values()), "sessions": row["sessions"], **bands,
            "girls": bands["girls_5_12"] + bands["girls_13_17"],
            "boys": bands["boys_5_12"] + bands["boys_13_17"],
            "persons_with_disabilities": row["persons_with_disabilities"] or 0,
            "first_time": row["first_time"] or 0,
        }  # fmt: skip
    return result


def assistance(pcode: str | None = None, year: int | None = None) -> dict[str, dict]:
    """Services delivered to victims per year, by service (referrals not yet received
    and declined or unavailable services are not delivered)."""
    delivered = Assistance.objects.filter(
        referral_status__in=[ReferralStatus.RECEIVED, ReferralStatus.COMPLETED]
    )
    delivered = _unit(delivered, "victim__accident__admin_unit", pcode)
    if year:
        delivered = delivered.filter(date__year=year)
    rows = delivered.values("service", year=ExtractYear("date")).annotate(n=Count("id"))
    result: dict[str, dict] = {}
    for row in rows.order_by("year", "service"):
        entry = result.setdefault(str(row["year"]), {"total": 0, "services": {}})
        entry["services"][row["service"]] = row["n"]
        entry["total"] += row["n"]
    return result


def official_figures(pcode: str | None = None, year: int | None = None) -> dict:
    """Everything an Article 7 report or a Landmine Monitor profile asks, with English keys."""
    return {
        "pcode": pcode or None,
        "year": year,
        "remaining_area_m2": remaining_area_m2(pcode),
        "released_area_m2": released_area_m2(pcode, year),
        "casualties": casualties(pcode, year),
        "eore_beneficiaries": eore_beneficiaries(pcode, year),
        "assistance": assistance(pcode, year),
    }


def suppressed_figures(figures: dict) -> dict:
    """Official figures as the public and donors see them: counts of people under five
    hidden (areas are not people and stay exact)."""
    return {
        **figures,
        "casualties": {year: suppressed(values) for year, values in figures["casualties"].items()},
        "eore_beneficiaries": {
            year: {key: suppress(value) for key, value in values.items()}
            for year, values in figures["eore_beneficiaries"].items()
        },
        "assistance": {
            year: {
                "total": suppress(values["total"]),
                "services": suppress_breakdown(values["services"]),
            }
            for year, values in figures["assistance"].items()
        },
    }
