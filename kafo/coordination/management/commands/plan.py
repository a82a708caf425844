import datetime
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.actors.models import Organisation
from kafo.commands import KafoCommand
from kafo.coordination.models import JointPlan, PlanStatus
from kafo.coordination.plans import build_tables, compute, options_of, parse_budgets
from kafo.planning.engine import PlanningError, plan
from kafo.response.models import Resource


def _month(text: str | None) -> datetime.date:
    if not text:
        today = datetime.date.today()
        return datetime.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return datetime.date(year, month, 1)
    except ValueError:
        raise CommandError(_("%s is not a month (YYYY-MM)") % text) from None


class Command(KafoCommand):
    help = gettext_lazy(
        "Joint plan: which shared team goes where, when, for which task, with the "
        "coordination dividend against each organisation's own plans."
    )

    def add_arguments(self, parser) -> None:
        arguments = [
            ("--months", int, 12, gettext_lazy("months to plan")),
            ("--start", str, None, gettext_lazy("first month, YYYY-MM (default: next)")),
            ("--time-limit", float, 60, gettext_lazy("seconds for the solver")),
            ("--level", int, 2, gettext_lazy("admin level of the risk education tasks")),
            ("--equity-floor", float, 0.5,
             gettext_lazy("least share of its fair part for each region")),
            ("--budget", str, "", gettext_lazy("budgets, e.g. 'HI=120000; DRC=80000' (USD)")),
        ]  # fmt: skip
        for name, kind, default, text in arguments:
            parser.add_argument(name, type=kind, default=default, help=text)
        keep = gettext_lazy("keep the plan as a draft with this name")
        parser.add_argument("--save", metavar="NAME", help=keep)
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, months, start, time_limit, level, equity_floor, budget, save,
               **options):  # fmt: skip
        if not 1 <= months <= 36:
            raise CommandError(_("A plan covers 1 to 36 months."))
        if time_limit <= 0:
            raise CommandError(_("The time limit is a number of seconds above 0."))
        try:
            budgets = parse_budgets(budget)
        except ValueError as error:
            raise CommandError(str(error)) from None
        first = _month(start)
        settings = {"time_limit": time_limit, "level": level, "equity_floor": equity_floor,
                    "budgets": budgets}  # fmt: skip
        draft = JointPlan(name=save or "", start=first, months=months, options=settings)
        if save:
            author = Organisation.objects.filter(type="national_authority").first()
            if author is None:
                raise CommandError(_("No national authority to sign the plan."))
            draft.created_by = author
            draft.status = PlanStatus.SOLVING
            draft.save()
            draft = compute(draft)
            if draft.status == PlanStatus.FAILED:
                raise CommandError(draft.message)
            result = _saved(draft)
        else:
            tables, _lookup = build_tables(first, months, level=level, budgets=budgets)
            try:
                result = plan(tables, options_of(draft))
            except PlanningError as error:
                raise CommandError(str(error)) from None
            result = _named(result)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1, default=str))
            return
        self._table(result)

    def _table(self, result: dict) -> None:
        self.stdout.write(_("Objective %(objective)s, gap %(gap)s, %(status)s") % {
            "objective": result["objective"],
            "gap": "—" if result["gap"] is None else f"{100 * result['gap']:.2f} %",
            "status": result["status"]})  # fmt: skip
        for a in result["assignments"]:
            line = (f"{a['month']}  {a['organisation']:<8} {a['resource']:<36} "
                    f"{a['task_type']:<5} {a['pcode']:<10} {a['output']:>10,.0f}")  # fmt: skip
            self.stdout.write(line)
        d = result["dividend"]
        self.stdout.write(_(
            "Dividend: +%(need)s priority-weighted team-months covered, %(dup)s duplications "
            "removed, %(units)s units newly covered, equity (Gini) %(before)s → %(after)s"
        ) % {"need": d["need_covered"], "dup": d["duplications_removed"],
             "units": d["units_newly_covered"], "before": d["equity_before"],
             "after": d["equity_after"]})  # fmt: skip


def _named(result: dict) -> dict:
    """Teams and organisations by name rather than by key."""
    teams = {str(r.pk): r for r in Resource.objects.select_related("organisation")}
    for a in result["assignments"]:
        team = teams[a["resource"]]
        a["resource"] = team.name
        a["organisation"] = team.organisation.acronym or team.organisation.name
    return result


def _saved(joint_plan: JointPlan) -> dict:
    assignments = [
        {"resource": a.resource.name,
         "organisation": a.organisation.acronym or a.organisation.name, "task": a.task,
         "task_type": a.task_type, "pcode": a.admin_unit.pcode, "period": a.period,
         "month": f"{a.month:%Y-%m}", "output": a.output, "km": a.km, "reason": a.reason}
        for a in joint_plan.assignments.select_related("resource", "organisation", "admin_unit")
    ]  # fmt: skip
    return {"plan": joint_plan.pk, "assignments": assignments, "objective": joint_plan.objective,
            "gap": joint_plan.gap, "status": joint_plan.solver_status,
            "dividend": joint_plan.dividend}  # fmt: skip
