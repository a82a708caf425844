"""Official figures, from the validated current view only (the record tables)."""

from collections import Counter, defaultdict

from django.db.models import QuerySet

from kafo.mineaction.models import Accident, Victim
from kafo.security.suppression import suppress, suppress_breakdown


def _in_unit(queryset: QuerySet, pcode: str | None, path: str) -> QuerySet:
    if not pcode:
        return queryset
    return queryset.filter(
        **{
            f"{path}admin_unit__pcode__startswith": pcode,
            f"{path}admin_unit__cod_version__is_active": True,
        }
    )


def casualties(pcode: str | None = None, year: int | None = None) -> dict[str, dict]:
    """Casualties per year: killed/injured, sex, age (child under 18), civilian status."""
    victims = _in_unit(Victim.objects.all(), pcode, "accident__")
    if year:
        victims = victims.filter(accident__date__year=year)
    by_year: dict[str, dict] = {}
    rows = victims.values_list("accident__date__year", "outcome", "sex", "age", "status")
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    for year_, items in sorted(grouped.items()):
        outcomes = Counter(outcome for outcome, *_ in items)
        ages = Counter(
            "unknown" if age is None else ("child" if age < 18 else "adult")
            for _o, _s, age, _st in items
        )
        by_year[str(year_)] = {
            "total": len(items),
            "killed": outcomes.get("killed", 0),
            "injured": outcomes.get("injured", 0),
            "sex": dict(Counter(sex for _o, sex, _a, _st in items)),
            "age": dict(ages),
            "status": dict(Counter(status for *_, status in items)),
        }
    return by_year


def accidents_by_unit(level_pcodes: list[str], year: int | None = None) -> dict[str, int]:
    """Validated accidents counted under each of these admin units (by p-code prefix)."""
    accidents = Accident.objects.filter(admin_unit__cod_version__is_active=True)
    if year:
        accidents = accidents.filter(date__year=year)
    pcodes = list(accidents.values_list("admin_unit__pcode", flat=True))
    return {code: sum(1 for p in pcodes if p.startswith(code)) for code in level_pcodes}


def casualties_by_unit(level_pcodes: list[str], year: int | None = None) -> dict[str, int]:
    victims = Victim.objects.filter(accident__admin_unit__cod_version__is_active=True)
    if year:
        victims = victims.filter(accident__date__year=year)
    pcodes = list(victims.values_list("accident__admin_unit__pcode", flat=True))
    return {code: sum(1 for p in pcodes if p.startswith(code)) for code in level_pcodes}


def suppressed(year_figures: dict) -> dict:
    """One year's casualty figures as the public and donors see them."""
    return {
        **{key: suppress(year_figures[key]) for key in ("total", "killed", "injured")},
        **{key: suppress_breakdown(year_figures[key]) for key in ("sex", "age", "status")},
    }
