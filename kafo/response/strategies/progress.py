"""Targets against what the tagged activities achieved, objective by objective."""

import datetime
from decimal import Decimal

from kafo.currencies.rates import known_rates
from kafo.response.activities.models import Activity, ActivityStatus
from kafo.response.strategies.models import (
    ActivityObjective,
    Framework,
    FrameworkKind,
    Measure,
    Objective,
)

HUNDRED = Decimal(100)


def _descendants(objective: Objective, children: dict[int, list[Objective]]) -> list[int]:
    ids, stack = [], [objective]
    while stack:
        current = stack.pop()
        ids.append(current.pk)
        stack.extend(children.get(current.pk, []))
    return ids


def counted_in_children(activity: Activity, imported: set[str]) -> bool:
    """Whether an IATI parent's budget is already counted by its children in Kafo (a
    programme and its projects: each amount once)."""
    related = (activity.iati or {}).get("related", [])
    return any(r["type"] == "2" and r["ref"] in imported for r in related)


def country_share(activity: Activity) -> Decimal:
    """The part of a regional IATI activity that goes to the country (1 otherwise)."""
    share = (activity.iati or {}).get("country_share")
    return Decimal(str(share)) if share is not None else Decimal(1)


PENDING_BUDGETS = "pending_budgets"


def achievements(framework: Framework) -> dict[int, dict[str, Decimal]]:
    """For each objective (with the objectives under it), each measure's achieved value:
    tagged activities weighted by their share. `PENDING_BUDGETS` counts the budgets left
    out of the USD total because their currency has no rate yet (said, never hidden)."""
    objectives = list(framework.objectives.all())
    children: dict[int, list[Objective]] = {}
    for objective in objectives:
        children.setdefault(objective.parent_id, []).append(objective)
    shares = list(
        ActivityObjective.objects.filter(objective__framework=framework).select_related("activity")
    )

    imported = set(
        Activity.objects.exclude(iati={}).exclude(source_id="").values_list("source_id", flat=True)
    )

    result = {}
    for objective in objectives:
        ids = set(_descendants(objective, children))
        totals = {measure: Decimal(0) for measure in Measure.values}
        totals[PENDING_BUDGETS] = Decimal(0)
        for share in shares:
            if share.objective_id not in ids:
                continue
            weight = share.percentage / HUNDRED
            activity = share.activity
            totals[Measure.PEOPLE_REACHED] += activity.people("reached") * weight
            if activity.status == ActivityStatus.COMPLETED:
                totals[Measure.ACTIVITIES_COMPLETED] += weight
            if activity.budget and not counted_in_children(activity, imported):
                on = activity.planned_start or datetime.date.today()
                rate = known_rates(activity.currency, on).to_usd  # USD only: no XOF needed
                if rate is None:
                    totals[PENDING_BUDGETS] += 1
                    continue
                totals[Measure.BUDGET_USD] += (
                    activity.budget * rate * weight * country_share(activity)
                )
        result[objective.pk] = {
            key: value.quantize(Decimal("0.01")) for key, value in totals.items()
        }
    return result


def strategies_with_objectives():
    """The strategies an alignment can be read against (those with objectives), the
    latest first."""
    return Framework.objects.filter(objectives__isnull=False).distinct().order_by(
        "-end_year", "name", "pk")  # fmt: skip


def default_strategy() -> Framework | None:
    """The national mine action strategy with objectives (the latest), else the latest
    strategy with objectives."""
    found = strategies_with_objectives()
    return found.filter(kind=FrameworkKind.MINE_ACTION_STRATEGY).first() or found.first()
