"""Coverage of the priority communes by community leaders: those with an active focal
point whose consent is in force, those with hazards or recent casualties and no leader
engaged in the last 12 months, and those where no approved message exists in a language
spoken there (the languages of its focal points)."""

import datetime

from django.utils import timezone

from kafo.analysis.priorities import PriorityOptions, priorities
from kafo.communities.models import Engagement, FocalPoint, KeyMessage
from kafo.coordination.source import analysis_connection
from kafo.geo.models import AdminUnit
from kafo.geo.tree import UnitTree
from kafo.mineaction.models import PriorityWeights


def default_level() -> int:
    """The communes (level 3) where the boundaries have them, else the cercles."""
    return 3 if AdminUnit.objects.active().filter(level=3).exists() else 2


def community_coverage(level: int | None = None, today: datetime.date | None = None) -> dict:
    """`{"level", "priority_units", "covered", "share_covered", "uncovered": [...],
    "hazards_without_leader": [...], "language_gaps": [...]}` (units as pcode and name)."""
    today = today or timezone.localdate()
    units = AdminUnit.objects.active()
    if level is None:
        level = default_level()
    names = dict(units.filter(level=level).values_list("pk", "name"))
    codes = dict(units.filter(level=level).values_list("pk", "pcode"))
    by_code = {code: pk for pk, code in codes.items()}
    tree = UnitTree()
    weights = PriorityWeights.current()
    options = PriorityOptions(weights=weights.as_dict(), radius_km=weights.radius_km,
                              level=level, as_of=today)  # fmt: skip
    ranked = priorities(analysis_connection(), options)
    priority = [by_code[u["pcode"]] for u in ranked["units"] if u["pcode"] in by_code]
    with_casualties = {by_code[u["pcode"]] for u in ranked["units"]
                       if u["pcode"] in by_code and u["values"]["casualties"] > 0}  # fmt: skip

    covered: set[int] = set()
    spoken: dict[int, set[str]] = {}
    for focal_point in FocalPoint.objects.filter(active=True).prefetch_related("consents"):
        unit = tree.at_level(focal_point.admin_unit_id, level)
        if unit is None:
            continue
        spoken.setdefault(unit, set()).update(focal_point.languages)
        if any(focal_point.consent_for(scope, today) for scope in ("contact", "sms", "radio")):
            covered.add(unit)
    recent = Engagement.objects.filter(date__gt=today - datetime.timedelta(days=365))
    engaged = {tree.at_level(place, level)
               for place in recent.values_list("admin_unit_id", flat=True)}  # fmt: skip
    approved = set(KeyMessage.objects.filter(approved_at__isnull=False).values_list(
        "language", flat=True))  # fmt: skip

    def unit(pk: int, **extra) -> dict:
        return {"pcode": codes[pk], "name": names[pk], **extra}

    covered_priority = [pk for pk in priority if pk in covered]
    return {
        "level": level,
        "priority_units": len(priority),
        "covered": len(covered_priority),
        "share_covered": round(len(covered_priority) / len(priority), 4) if priority else None,
        "uncovered": [unit(pk) for pk in priority if pk not in covered],
        "hazards_without_leader": [
            unit(pk, casualties=pk in with_casualties) for pk in priority if pk not in engaged
        ],
        "language_gaps": [
            unit(pk, languages=sorted(languages))
            for pk, languages in sorted(spoken.items(), key=lambda item: codes.get(item[0], ""))
            if pk in codes and not languages & approved
        ],
    }
