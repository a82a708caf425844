"""Targets against what the tagged activities achieved, objective by objective."""

import datetime
from decimal import Decimal

from kafo.response.models import ActivityObjective, ActivityStatus, Framework, Measure, Objective

HUNDRED = Decimal(100)


def _descendants(objective: Objective, children: dict[int, list[Objective]]) -> list[int]:
    ids, stack = [], [objective]
    while stack:
        current = stack.pop()
        ids.append(current.pk)
        stack.extend(children.get(current.pk, []))
    return ids


def achievements(framework: Framework) -> dict[int, dict[str, Decimal]]:
    """For each objective (with the objectives under it), each measure's achieved value:
    tagged activities weighted by their share."""
    objectives = list(framework.objectives.all())
    children: dict[int, list[Objective]] = {}
    for objective in objectives:
        children.setdefault(objective.parent_id, []).append(objective)
    shares = list(
        ActivityObjective.objects.filter(objective__framework=framework).select_related("activity")
    )
    from kafo.funding.conversion import MissingRate, rates_for

    result = {}
    for objective in objectives:
        ids = set(_descendants(objective, children))
        totals = {measure: Decimal(0) for measure in Measure.values}
        for share in shares:
            if share.objective_id not in ids:
                continue
            weight = share.percentage / HUNDRED
            activity = share.activity
            totals[Measure.PEOPLE_REACHED] += activity.people("reached") * weight
            if activity.status == ActivityStatus.COMPLETED:
                totals[Measure.ACTIVITIES_COMPLETED] += weight
            if activity.budget:
                try:
                    on = activity.planned_start or datetime.date.today()
                    rate = rates_for(activity.currency, on).to_usd
                except MissingRate:
                    continue
                totals[Measure.BUDGET_USD] += activity.budget * rate * weight
        result[objective.pk] = {
            key: value.quantize(Decimal("0.01")) for key, value in totals.items()
        }
    return result
