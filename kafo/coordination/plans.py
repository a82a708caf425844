"""Joint plans from the platform's data, for the planning engine (kafo.planning).

- Tasks: every open hazard, for the work its classification calls for (IMAS land
  release, kafo.vocabulary: non-technical survey for an indication, technical survey for
  an SHA, clearance for a CHA, EOD for a storage area or a spot task; the need is the
  area to release, or the number of hazards), and every admin unit of the plan's level
  with a mine action need, for risk education (the people in need, else the people
  near hazards). Their priority is the analysis engine's score with the authority's
  weights.
- Teams: the resources offered for sharing whose kind does a task, with their base,
  their output per month, their reach, their cost and their calendar; an accreditation
  that has expired before the first month leaves the team out.
- Constraints: access restrictions (no access) month by month; operating areas; budgets
  given with the plan; ongoing risk education (lowers the need); each organisation's
  planned activities (the status quo, for the dividend); a donor's budget covers the
  teams of the organisations it funds (its funding flows).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

import pyarrow as pa
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.actors.models import Organisation, valid_accreditations_between
from kafo.analysis.gaps import GapOptions, gaps
from kafo.analysis.priorities import PriorityOptions, priorities
from kafo.coordination.models import AssignmentAnswer, JointPlan, PlanAssignment, PlanStatus
from kafo.coordination.source import analysis_connection
from kafo.funding.models import Transaction
from kafo.geo.models import AdminUnit
from kafo.geo.tree import UnitTree
from kafo.mineaction.models import Hazard, PriorityWeights
from kafo.planning.engine import TABLES, PlanOptions, plan
from kafo.response.models import AccessRestriction, Activity, OperatingArea, Resource
from kafo.vocabulary import (
    CLR,
    EOD,
    EORE,
    MINE_ACTION,
    NO_ACCESS,
    NTS,
    ONGOING,
    OPEN_HAZARD,
    PEOPLE,
    PLANNED,
    TS,
    WORK_FOR_CLASSIFICATION,
    WORK_OF_TEAM,
)

# The kinds of task: the work each team kind does (kafo.vocabulary.WORK_OF_TEAM), which
# is also the work each hazard classification calls for (WORK_FOR_CLASSIFICATION).
TASK_TYPES = (EORE, NTS, TS, CLR, EOD)
# A team's output in a month when its record does not say (people, surveys of an
# indication or of a suspected area, m² cleared, EOD tasks).
MONTHLY_OUTPUT = {EORE: 3_000.0, NTS: 10.0, TS: 4.0, CLR: 20_000.0, EOD: 20.0}
DEFAULT_REACH_KM = 400.0
LARGE_AREA_M2 = 6 * MONTHLY_OUTPUT[CLR]


def month_start(start: datetime.date, period: int) -> datetime.date:
    months = start.year * 12 + start.month - 1 + period
    return datetime.date(months // 12, months % 12 + 1, 1)


def _month_end(start: datetime.date, period: int) -> datetime.date:
    return month_start(start, period + 1) - datetime.timedelta(days=1)


# The words of a capacity unit that measure a task's output (people, m², surveys, tasks).
OUTPUT_WORDS = {EORE: ("personne", "people", "person", "bénéficiaire"), CLR: ("m²", "m2"),
                NTS: ("village", "enquête", "survey", "zone", "hazard"),
                TS: ("zone", "area", "hazard", "enquête", "survey"),
                EOD: ("intervention", "task", "tâche", "engin")}  # fmt: skip
PER_MONTH = ((("mois", "month"), 1.0), (("semaine", "week"), 4.3), (("jour", "day"), 20.0))


def _monthly_output(resource: Resource, kind: str) -> float:
    """The record's capacity per month when its unit measures the task's output (converted
    from days or weeks); else the default for the kind."""
    unit = (resource.capacity_unit or "").lower()
    if resource.capacity and any(word in unit for word in OUTPUT_WORDS[kind]):
        factor = next((f for words, f in PER_MONTH if any(w in unit for w in words)), 1.0)
        return float(resource.capacity) * factor
    return MONTHLY_OUTPUT[kind]


def build_tables(
    start: datetime.date,
    months: int,
    level: int = 2,
    budgets: dict[str, float] | None = None,
    previous: JointPlan | None = None,
) -> tuple[dict[str, pa.Table], dict]:
    """The engine's tables and what maps them back (task → hazard or unit, team → resource):
    the tasks, the teams and the constraints, each from its builder."""
    places = UnitTree()
    end = _month_end(start, months - 1)
    weights = PriorityWeights.current()
    ranked = priorities(analysis_connection(), PriorityOptions(
        weights=weights.as_dict(), radius_km=weights.radius_km, level=level,
        as_of=start))  # fmt: skip
    lookup: dict = {"tasks": {}, "resources": {}}
    tasks = hazard_tasks(places, {h["reference"]: h["score"] for h in ranked["hazards"]}, lookup)
    tasks += education_tasks(places, level, end, {u["pcode"]: u["score"] for u in ranked["units"]},
                             lookup)  # fmt: skip
    teams, availability = shared_teams(start, months, places, lookup)
    task_units = {t: places.chain(info["unit"]) for t, info in lookup["tasks"].items()}
    blocked, lookup["escort"] = access_constraints(start, months, task_units)
    fixed, status_quo = _own_plans(start, months, places, lookup, task_units, teams)
    rows = {
        "tasks": tasks, "resources": teams, "availability": availability, "blocked": blocked,
        "forbidden": operating_area_constraints(task_units), "fixed": fixed,
        "status_quo": status_quo, "funders": funders_of(budgets or {}),
        "budgets": [{"organisation": org, "amount": float(amount)}
                    for org, amount in (budgets or {}).items()],
        **earlier_answers(previous),
    }  # fmt: skip
    tables = {name: pa.Table.from_pylist(r, schema=pa.schema(TABLES[name]))
              for name, r in rows.items()}  # fmt: skip
    return tables, lookup


def hazard_tasks(places: UnitTree, score: dict[str, float], lookup: dict) -> list[dict]:
    """A task for each open hazard's work: clearance hazard by hazard (the need: the area
    to release); surveys and EOD by admin unit, a team working through the unit's hazards
    in a month (the need: how many)."""
    tasks = []
    grouped: dict[tuple[str, int], list[Hazard]] = defaultdict(list)
    for hazard in Hazard.objects.filter(status__in=OPEN_HAZARD):
        kind = WORK_FOR_CLASSIFICATION.get(hazard.classification)
        unit = hazard.admin_unit_id
        if kind is None or unit not in places.by_id:
            continue
        if kind != CLR:
            grouped[(kind, unit)].append(hazard)
            continue
        task_id = f"HAZ:{hazard.reference}"
        area = float(hazard.remaining_area_m2 or hazard.estimated_area_m2 or 10_000)
        tasks.append({"id": task_id, "pcode": places.by_id[unit][1],
                      "region": _region(places, unit), "task_type": kind,
                      "lon": hazard.longitude, "lat": hazard.latitude,
                      "need": area, "priority": score.get(hazard.reference, 0.0),
                      # A large area takes two teams at once (half a year's work or more).
                      "teams": 2 if area > LARGE_AREA_M2 else 1})  # fmt: skip
        lookup["tasks"][task_id] = {"hazard": hazard.pk, "unit": unit}
    for (kind, unit), hazards in grouped.items():
        pcode = places.by_id[unit][1]
        task_id = f"{kind}:{pcode}"
        tasks.append({
            "id": task_id, "pcode": pcode, "region": _region(places, unit), "task_type": kind,
            "lon": sum(h.longitude for h in hazards) / len(hazards),
            "lat": sum(h.latitude for h in hazards) / len(hazards), "need": float(len(hazards)),
            "priority": max(score.get(h.reference, 0.0) for h in hazards), "teams": 1,
        })  # fmt: skip
        lookup["tasks"][task_id] = {"hazard": hazards[0].pk if len(hazards) == 1 else None,
                                    "unit": unit}  # fmt: skip
    return tasks


def _region(places: UnitTree, unit: int) -> str:
    return places.by_id[places.at_level(unit, 1) or unit][1]


def education_tasks(
    places: UnitTree, level: int, end: datetime.date, score: dict[str, float], lookup: dict
) -> list[dict]:
    """A risk education task for each unit of the level with a mine action need: its
    people in need (the latest figures up to the plan's end), else the people near
    hazards."""
    tasks = []
    need_rows = gaps(analysis_connection(), GapOptions(level=level, sector=MINE_ACTION,
                                                       end=end))["units"]  # fmt: skip
    for row in need_rows:
        unit = places.by_pcode.get(row["pcode"])
        people = row["need"] or (row["mine_action"] or {}).get("people_near_hazards") or 0
        point = places.point(unit) if unit else None
        if not people or point is None:
            continue
        task_id = f"EORE:{row['pcode']}"
        tasks.append({"id": task_id, "pcode": row["pcode"], "region": _region(places, unit),
                      "task_type": EORE, "lon": point[0], "lat": point[1],
                      "need": float(people), "teams": 1,
                      "priority": score.get(row["pcode"], 0.05)})  # fmt: skip
        lookup["tasks"][task_id] = {"hazard": None, "unit": unit}
    return tasks


def shared_teams(
    start: datetime.date, months: int, places: UnitTree, lookup: dict
) -> tuple[list[dict], list[dict]]:
    """The teams offered for sharing whose kind does a task, and the months each is
    available: free in its owner's calendar, and its organisation accredited for that work
    in the register on the month's first day (a team's own accreditation expired before
    the first month leaves it out)."""
    teams, availability = [], []
    resources = Resource.objects.filter(offered=True, kind__in=WORK_OF_TEAM).exclude(
        accredited_until__lt=start).select_related("organisation").prefetch_related(
        "availability")  # fmt: skip
    register: dict[tuple[int, str], list] = {}
    last_day = _month_end(start, months - 1)
    for accreditation in valid_accreditations_between(start, last_day):
        key = (accreditation.organisation_id, accreditation.activity)
        register.setdefault(key, []).append(accreditation)
    for resource in resources:
        kind = WORK_OF_TEAM[resource.kind]
        accredited = [
            period for period in range(months)
            if any(a.valid_on(month_start(start, period))
                   for a in register.get((resource.organisation_id, kind), []))
        ]  # fmt: skip
        if not accredited:
            continue
        point = (resource.longitude, resource.latitude)
        if None in point:
            point = places.point(resource.base_id)
        if point is None:
            continue
        team_id = str(resource.pk)
        teams.append({"id": team_id, "organisation": str(resource.organisation_id),
                      "task_type": kind, "lon": point[0], "lat": point[1],
                      "capacity": _monthly_output(resource, kind),
                      "max_km": float(resource.max_travel_km or DEFAULT_REACH_KM),
                      "cost": float(resource.monthly_cost_usd or 0)})  # fmt: skip
        lookup["resources"][team_id] = resource.pk
        for free in resource.availability.all():
            availability += [{"resource": team_id, "period": period} for period in accredited
                             if free.start <= _month_end(start, period)
                             and free.end >= month_start(start, period)]  # fmt: skip
    return teams, availability


def access_constraints(
    start: datetime.date, months: int, task_units: dict[str, list[int]]
) -> tuple[list[dict], set]:
    """No access: the task is closed that month (blocked); escort only: open, and the plan
    says so (the (task, month) pairs returned)."""
    blocked, escort = [], set()
    end = _month_end(start, months - 1)
    for restriction in AccessRestriction.objects.filter(start__lte=end).exclude(end__lt=start):
        for period in range(months):
            first, last = month_start(start, period), _month_end(start, period)
            if not restriction.in_force_between(first, last):
                continue
            closed = [t for t, chain in task_units.items() if restriction.admin_unit_id in chain]
            if restriction.level == NO_ACCESS:
                blocked += [{"task": t, "period": period} for t in closed]
            else:
                escort.update((t, period) for t in closed)
    return blocked, escort


def operating_area_constraints(task_units: dict[str, list[int]]) -> list[dict]:
    """The tasks an organisation's teams may not take: outside the areas it works in, or
    inside those it does not."""
    forbidden = []
    areas: dict[str, dict[bool, set]] = defaultdict(lambda: {True: set(), False: set()})
    for area in OperatingArea.objects.all():
        areas[str(area.organisation_id)][area.operates].add(area.admin_unit_id)
    for organisation, kinds in areas.items():
        for task, chain in task_units.items():
            outside = kinds[True] and not kinds[True] & set(chain)
            if outside or kinds[False] & set(chain):
                forbidden.append({"organisation": organisation, "task": task})
    return forbidden


def earlier_answers(previous: JointPlan | None) -> dict[str, list[dict]]:
    """The acceptances of the version replaced, and the declines of every version before
    (never proposed again)."""
    answers: dict[str, list[dict]] = {"accepted": [], "declined": []}
    version, seen = previous, set()
    while version is not None and version.pk not in seen:
        seen.add(version.pk)
        answered = version.assignments.exclude(answer=AssignmentAnswer.PENDING)
        for a in answered if version == previous else answered.filter(answer="declined"):
            answers[a.answer].append({"resource": str(a.resource_id), "task": a.task,
                                      "period": a.period})  # fmt: skip
        version = version.replaces
    return answers


def funders_of(budgets: dict[str, float]) -> list[dict]:
    """A donor's budget covers the teams of the organisations it sends funds to."""
    return [
        {"donor": str(provider), "organisation": str(receiver)}
        for provider, receiver in Transaction.objects.filter(
            provider_id__in=[int(k) for k in budgets if str(k).isdigit()]
        ).values_list("provider_id", "receiver_id").distinct()
    ]  # fmt: skip


def _own_plans(start, months, places, lookup, task_units, teams) -> tuple[list, list]:
    """Ongoing risk education lowers the need (fixed); planned mine action activities are
    each organisation's own plan (the status quo): its first team of the kind, on the
    task of that kind in the activity's places, in the months the activity covers."""
    fixed, status_quo = [], []
    end = _month_end(start, months - 1)
    team_of = {}
    for team in teams:
        team_of.setdefault((team["organisation"], team["task_type"]), team["id"])
    tasks_in = defaultdict(list)  # a unit → the tasks in it or under it
    for task, chain in task_units.items():
        for unit in chain:
            tasks_in[unit].append(task)
    activities = (
        Activity.objects.filter(
            status__in=(ONGOING, PLANNED), activity_type__in=TASK_TYPES, sector=MINE_ACTION
        )
        .exclude(planned_end__lt=start)
        .exclude(planned_start__gt=end)
        .prefetch_related(Prefetch("locations", queryset=AdminUnit.objects.only("pk")))
    )
    for activity in activities:
        kind = activity.activity_type
        places_ = [u.pk for u in activity.locations.all()]
        prefix = {EORE: "EORE:", CLR: "HAZ:"}.get(kind, f"{kind}:")
        matching = [task for unit in places_ for task in tasks_in.get(unit, [])
                    if task.startswith(prefix)]  # fmt: skip
        if not matching:
            continue
        if activity.status == ONGOING and kind == EORE:
            targeted = sum(getattr(activity, f"targeted_{g}") for g in PEOPLE)
            fixed.append({"task": matching[0], "period": 0, "output": float(targeted)})
        elif activity.status == PLANNED:
            team = team_of.get((str(activity.organisation_id), kind))
            if team is None:
                continue
            for period in range(months):
                first, last = month_start(start, period), _month_end(start, period)
                if (activity.planned_start or start) <= last and (
                    activity.planned_end or end
                ) >= first:
                    status_quo.append({"resource": team, "task": matching[0], "period": period})
    return fixed, status_quo


def options_of(joint_plan: JointPlan) -> PlanOptions:
    saved = joint_plan.options or {}
    return PlanOptions(
        periods=joint_plan.months, start=joint_plan.start,
        time_limit=float(saved.get("time_limit", 60)), gap=float(saved.get("gap", 0.01)),
        equity_floor=float(saved.get("equity_floor", 0.5)), threads=2,
    )  # fmt: skip


def compute(joint_plan: JointPlan) -> JointPlan:
    """Build the tables, solve, and save the plan's result and assignments (all or none)."""
    saved = joint_plan.options or {}
    try:
        tables, lookup = build_tables(joint_plan.start, joint_plan.months,
                                      level=int(saved.get("level", 2)),
                                      budgets=saved.get("budgets") or {},
                                      previous=joint_plan.replaces)  # fmt: skip
        result = plan(tables, options_of(joint_plan))
    except Exception as error:  # the plan says why it failed
        JointPlan.objects.filter(pk=joint_plan.pk).update(
            status=PlanStatus.FAILED, message=str(error)[:2000]
        )
        joint_plan.refresh_from_db()
        return joint_plan
    resources = {r.pk: r for r in Resource.objects.filter(pk__in=lookup["resources"].values())}
    previous = {}
    if joint_plan.replaces_id:
        previous = {(a.resource_id, a.task, a.period): a.answer
                    for a in joint_plan.replaces.assignments.all()}  # fmt: skip
    with transaction.atomic():
        joint_plan.assignments.all().delete()
        PlanAssignment.objects.bulk_create([
            PlanAssignment(
                plan=joint_plan, resource=resources[lookup["resources"][a["resource"]]],
                organisation_id=resources[lookup["resources"][a["resource"]]].organisation_id,
                task=a["task"], task_type=a["task_type"],
                hazard_id=lookup["tasks"][a["task"]]["hazard"],
                admin_unit_id=lookup["tasks"][a["task"]]["unit"], period=a["period"],
                month=month_start(joint_plan.start, a["period"]), output=a["output"], km=a["km"],
                reason={**a["reason"], "escort": (a["task"], a["period"]) in lookup["escort"]},
                answer=AssignmentAnswer.ACCEPTED
                if previous.get((lookup["resources"][a["resource"]], a["task"], a["period"]))
                == AssignmentAnswer.ACCEPTED else AssignmentAnswer.PENDING,
            )
            for a in result["assignments"]
        ])  # fmt: skip
        JointPlan.objects.filter(pk=joint_plan.pk).update(
            status=PlanStatus.DRAFT, objective=result["objective"], gap=result["gap"],
            solver_status=result["status"], solve_seconds=result["solve_seconds"],
            dividend={**result["dividend"], "equity_shortfall": result["equity_shortfall"],
                      "candidates": result["candidates"]},
            message="", updated_at=timezone.now(),
        )  # fmt: skip
    joint_plan.refresh_from_db()
    return joint_plan


def parse_budgets(text: str) -> dict[str, float]:
    """`HI=120000; DRC=80000` (organisation acronyms or ids) → {organisation id: USD}."""

    budgets = {}
    for part in filter(str.strip, text.replace("\n", ";").split(";")):
        if "=" not in part:
            raise ValueError(_("« %s »: write ORGANISATION=AMOUNT") % part.strip())
        name, amount = (p.strip() for p in part.split("=", 1))
        organisation = (Organisation.objects.filter(acronym__iexact=name).first()
                        or (Organisation.objects.filter(pk=name).first() if name.isdigit()
                            else None))  # fmt: skip
        if organisation is None:
            raise ValueError(_("« %s »: no such organisation") % name)
        try:
            value = Decimal(amount.replace(" ", "").replace(",", "."))
        except ArithmeticError:
            raise ValueError(_("« %s »: not an amount") % amount) from None
        if value < 0:
            raise ValueError(_("« %s »: an amount is 0 or more") % amount)
        budgets[str(organisation.pk)] = float(value)
    return budgets
