"""Joint plans on the web: the coordination computes a plan over every organisation's
shared teams, the organisations accept or decline their assignments, a decline is
re-planned keeping what was accepted, and the coordination adopts the plan, which
becomes planned activities."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kafo.actors.permissions import (
    can_edit,
    may_make_joint_plans,
    membership_of,
)
from kafo.coordination.models import AssignmentAnswer, JointPlan, PlanAssignment, PlanStatus
from kafo.coordination.plans import TASK_TYPES, month_start, parse_budgets
from kafo.coordination.tasks import solve_plan
from kafo.geo.viewport import bounded_layer
from kafo.response.models import Activity, ActivityParticipant
from kafo.security.disclosure import require_rows
from kafo.security.exports import csv_response, downloadable, xlsx_response
from kafo.security.limits import heavy
from kafo.tasks.state import queue_state
from kafo.vocabulary import OTHER

EXPORT_COLUMNS = [
    (gettext_lazy("Month"), "#date+start"), (gettext_lazy("Organisation"), "#org+impl"),
    (gettext_lazy("Team"), "#org+team"), (gettext_lazy("Task"), "#activity+code"),
    (gettext_lazy("Task type"), "#activity+type"), (gettext_lazy("P-code"), "#adm+code"),
    (gettext_lazy("Admin unit"), "#adm+name"), (gettext_lazy("Expected output"), "#output+planned"),
    (gettext_lazy("Distance (km)"), "#geo+distance"), (gettext_lazy("Priority"), "#priority"),
    (gettext_lazy("Answer"), "#status"),
]  # fmt: skip


def _members_only(request: HttpRequest) -> None:
    require_rows(request.user, _("Joint plans are for the members of the coordination."))


def _coordination_only(request: HttpRequest) -> None:
    if not may_make_joint_plans(request.user):
        raise PermissionDenied(_("Only the national coordination makes and adopts joint plans."))


class PlanForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    start = forms.CharField(label=gettext_lazy("First month (YYYY-MM)"), max_length=7)
    months = forms.IntegerField(label=gettext_lazy("Months"), min_value=1, max_value=36,
                                initial=12)  # fmt: skip
    time_limit = forms.IntegerField(label=gettext_lazy("Time to compute (seconds)"),
                                    min_value=5, max_value=300, initial=60)  # fmt: skip
    level = forms.IntegerField(label=gettext_lazy("Admin level of risk education tasks"),
                               min_value=1, max_value=4, initial=2)  # fmt: skip
    equity_floor = forms.FloatField(
        label=gettext_lazy("Equity floor"), min_value=0, max_value=1, initial=0.5,
        help_text=gettext_lazy("Each region gets at least this share of its fair part of the "
                               "teams' months, in proportion to its need."),
    )  # fmt: skip
    budgets = forms.CharField(
        label=gettext_lazy("Budgets (USD)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example: HI=120000; DRC=80000. Teams cost their monthly "
                               "cost."),
    )  # fmt: skip

    def clean_start(self) -> datetime.date:
        text = self.cleaned_data["start"].strip()
        try:
            year, month = (int(part) for part in text.split("-"))
            return datetime.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("%s is not a month (YYYY-MM)") % text) from None

    def clean_budgets(self) -> dict[str, float]:
        try:
            return parse_budgets(self.cleaned_data["budgets"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


def _start(joint_plan: JointPlan) -> None:
    """Queue the plan for a worker; the page shows a progress bar meanwhile."""
    result = solve_plan.enqueue(joint_plan.pk)
    JointPlan.objects.filter(pk=joint_plan.pk, status=PlanStatus.SOLVING).update(
        task_id=str(result.id)
    )


def _plans() -> list[JointPlan]:
    return list(JointPlan.objects.select_related("created_by")[:100])


def plan_list(request: HttpRequest) -> HttpResponse:
    """The joint plans, newest first; the coordination starts a new one here."""
    _members_only(request)
    form = None
    if may_make_joint_plans(request.user):
        today = timezone.localdate()
        next_month = datetime.date(today.year + today.month // 12, today.month % 12 + 1, 1)
        form = PlanForm(initial={"start": f"{next_month:%Y-%m}",
                                 "name": _("Joint plan %(month)s") % {
                                     "month": f"{next_month:%Y-%m}"}})  # fmt: skip
    return render(request, "coordination/plan_list.html", {
        "plans": _plans(), "form": form,
    })  # fmt: skip


@require_POST
@heavy
def plan_new(request: HttpRequest) -> HttpResponse:
    """Start computing a plan (the coordination)."""
    _coordination_only(request)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return render(request, "coordination/plan_list.html", {
            "plans": _plans(), "form": form,
        }, status=400)  # fmt: skip
    data = form.cleaned_data
    joint_plan = JointPlan.objects.create(
        name=data["name"], start=data["start"], months=data["months"],
        created_by=membership_of(request.user).organisation, status=PlanStatus.SOLVING,
        options={"time_limit": data["time_limit"], "level": data["level"],
                 "equity_floor": data["equity_floor"], "budgets": data["budgets"]},
    )  # fmt: skip
    _start(joint_plan)
    return redirect(joint_plan)


def _can_answer(user, assignment: PlanAssignment) -> bool:
    """The team's organisation (its editors) or the coordination, while the plan is open."""
    open_ = assignment.plan.status in (PlanStatus.DRAFT, PlanStatus.DISCUSSED)
    return open_ and can_edit(user, assignment)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its dividend, its map and its assignments (one organisation's with
    ?organisation=), each with its reason and its answer."""
    _members_only(request)
    joint_plan = get_object_or_404(
        JointPlan.objects.select_related("created_by", "replaces"), pk=pk
    )
    assignments = joint_plan.assignments.select_related("resource", "organisation", "admin_unit",
                                                        "hazard")  # fmt: skip
    organisations = sorted({(a.organisation_id, a.organisation.acronym or a.organisation.name)
                            for a in assignments}, key=lambda o: o[1])  # fmt: skip
    chosen = request.GET.get("organisation", "")
    if chosen.isdigit():
        assignments = assignments.filter(organisation_id=int(chosen))
    rows = [(a, _can_answer(request.user, a)) for a in assignments]
    counts = {answer: joint_plan.assignments.filter(answer=answer).count()
              for answer in AssignmentAnswer.values}  # fmt: skip
    return render(request, "coordination/plan_detail.html", {
        "plan": joint_plan, "rows": rows, "organisations": organisations, "chosen": chosen,
        "counts": counts, "assignment_count": sum(counts.values()),
        "is_coordinator": may_make_joint_plans(request.user),
        "gap_percent": None if joint_plan.gap is None else round(100 * joint_plan.gap, 2),
        "queue": queue_state(joint_plan.task_id),
        "elapsed": (timezone.now() - joint_plan.created_at).total_seconds(),
        "time_limit": float((joint_plan.options or {}).get("time_limit", 60)),
        "map_legend": [(f"palette-{index}", name)
                       for index, name in _colour_index(joint_plan).values()],
    })  # fmt: skip


def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar while a plan is computed (htmx polls it; reloads when done)."""
    _members_only(request)
    joint_plan = get_object_or_404(JointPlan, pk=pk)
    response = render(request, "coordination/plan_progress.html", {
        "plan": joint_plan, "queue": queue_state(joint_plan.task_id),
        "elapsed": (timezone.now() - joint_plan.created_at).total_seconds(),
        "time_limit": float((joint_plan.options or {}).get("time_limit", 60)),
        "map_legend": [(f"palette-{index}", name)
                       for index, name in _colour_index(joint_plan).values()],
    })  # fmt: skip
    if joint_plan.status != PlanStatus.SOLVING:
        response["HX-Refresh"] = "true"
    return response


def _colour_index(joint_plan: JointPlan) -> dict[int, tuple[int, str]]:
    """Each organisation's colour on the plan's map, and its name for the legend."""
    found: dict[int, tuple[int, str]] = {}
    for org_id, acronym, name in joint_plan.assignments.values_list(
        "organisation_id", "organisation__acronym", "organisation__name"
    ).order_by("organisation__name"):
        found.setdefault(org_id, (len(found), acronym or name))
    return found


@downloadable(lambda pk: f"joint_plan_{pk}")
def plan_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's assignments as points (the hazard, or the admin unit's label point);
    counted per admin unit where too many for the view (kafo.geo.viewport)."""
    _members_only(request)
    joint_plan = get_object_or_404(JointPlan, pk=pk)
    colours = _colour_index(joint_plan)

    def features(assignments):
        for a in assignments.iterator(chunk_size=2000):
            if a.hazard is not None:
                point = (a.hazard.longitude, a.hazard.latitude)
            else:
                point = (a.admin_unit.label_lon, a.admin_unit.label_lat)
            if None in point:
                continue
            index = colours[a.organisation_id][0]
            yield {
                "type": "Feature", "geometry": {"type": "Point", "coordinates": list(point)},
                "properties": {"name": f"{a.organisation.acronym or a.organisation.name} · "
                                       f"{a.resource.name}", "pcode": a.admin_unit.pcode,
                               "count": f"{a.month:%Y-%m} {a.task_type}", "label": a.task,
                               "index": index},
            }  # fmt: skip

    assignments = joint_plan.assignments.select_related("organisation", "admin_unit", "hazard",
                                                        "resource")  # fmt: skip
    return bounded_layer(request, assignments, "admin_unit", features, _("assignments"))


@require_POST
def plan_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """An organisation accepts or declines one of its assignments."""
    assignment = get_object_or_404(PlanAssignment.objects.select_related("plan"), pk=pk)
    if action not in ("accept", "decline"):
        raise PermissionDenied(_("Unknown answer."))
    if not _can_answer(request.user, assignment):
        raise PermissionDenied(_("Only the team's organisation answers, while the plan is open."))
    assignment.answer = AssignmentAnswer.ACCEPTED if action == "accept" else (
        AssignmentAnswer.DECLINED)  # fmt: skip
    assignment.answered_at = timezone.now()
    assignment.save(update_fields=["answer", "answered_at"])
    if assignment.answer == AssignmentAnswer.DECLINED:
        # A decline is re-planned at once: what was accepted stays, the decline never returns.
        again = _replan(assignment.plan, membership_of(request.user).organisation)
        messages.info(request, _("Declined: the plan is being recomputed without it, keeping "
                                 "what was accepted."))  # fmt: skip
        return redirect(again)
    return redirect(f"{assignment.plan.get_absolute_url()}#assignment-{assignment.pk}")


def _replan(joint_plan: JointPlan, by) -> JointPlan:
    """A new version of the plan, computed keeping its accepted assignments and without its
    declined ones; the old version is kept, superseded."""
    again = JointPlan.objects.create(
        name=joint_plan.name, start=joint_plan.start, months=joint_plan.months,
        options=joint_plan.options, replaces=joint_plan, created_by=by,
        status=PlanStatus.SOLVING,
    )  # fmt: skip
    JointPlan.objects.filter(pk=joint_plan.pk).update(status=PlanStatus.SUPERSEDED)
    _start(again)
    return again


@require_POST
def plan_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The coordination moves the plan on: to discussion, adopted (the assignments become
    planned activities), or re-planned on fresh data (acceptances kept)."""
    _coordination_only(request)
    joint_plan = get_object_or_404(JointPlan, pk=pk)
    if action == "discuss" and joint_plan.status == PlanStatus.DRAFT:
        joint_plan.status = PlanStatus.DISCUSSED
        joint_plan.save(update_fields=["status", "updated_at"])
    elif action == "adopt" and joint_plan.status in (PlanStatus.DRAFT, PlanStatus.DISCUSSED):
        if joint_plan.assignments.filter(answer=AssignmentAnswer.DECLINED).exists():
            messages.error(request, _("Some assignments were declined: re-plan first."))
            return redirect(joint_plan)
        made = _adopt(joint_plan)
        messages.success(request, _("Adopted: %(count)s planned activities created.")
                         % {"count": made})  # fmt: skip
    elif action == "replan" and joint_plan.status in (PlanStatus.DRAFT, PlanStatus.DISCUSSED):
        # After new data (hazards, teams, restrictions): the same, computed again.
        return redirect(_replan(joint_plan, membership_of(request.user).organisation))
    else:
        messages.error(request, _("This plan cannot do that now."))
    return redirect(joint_plan)


def _adopt(joint_plan: JointPlan) -> int:
    """The plan adopted; each assignment not declined becomes a planned activity of its
    organisation (identified by the plan and assignment, so adopting twice adds nothing)."""

    made = 0
    with transaction.atomic():
        for a in joint_plan.assignments.exclude(answer=AssignmentAnswer.DECLINED).select_related(
            "resource", "admin_unit"
        ):  # fmt: skip
            source_id = f"plan-{joint_plan.pk}-{a.pk}"
            if Activity.objects.filter(source_id=source_id).exists():
                continue
            end = month_start(a.month, 1) - datetime.timedelta(days=1)
            activity = Activity.objects.create(
                organisation_id=a.organisation_id, sector="PRO-MIN",
                activity_type=a.task_type if a.task_type in TASK_TYPES else OTHER, status="planned",
                title=_("Joint plan: %(team)s, %(task)s") % {"team": a.resource.name,
                                                              "task": a.task},
                planned_start=a.month, planned_end=end, source_id=source_id,
                description=_("From the adopted joint plan « %(plan)s ».") % {
                    "plan": joint_plan.name},
            )  # fmt: skip
            activity.locations.set([a.admin_unit])
            ActivityParticipant.objects.create(activity=activity, organisation_id=a.organisation_id,
                                               role="4")  # fmt: skip
            made += 1
        joint_plan.status = PlanStatus.ADOPTED
        joint_plan.save(update_fields=["status", "updated_at"])
    return made


def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The assignments as CSV, HXL (?format=hxl) or Excel (?format=xlsx)."""
    _members_only(request)
    joint_plan = get_object_or_404(JointPlan, pk=pk)
    rows = [
        [f"{a.month:%Y-%m}", a.organisation.acronym or a.organisation.name, a.resource.name,
         a.task, a.task_type, a.admin_unit.pcode, a.admin_unit.name, round(a.output, 2),
         round(a.km, 1), (a.reason or {}).get("priority"), a.get_answer_display()]
        for a in joint_plan.assignments.select_related("organisation", "resource", "admin_unit")
    ]  # fmt: skip
    header = [str(label) for label, _tag in EXPORT_COLUMNS]
    hashtags = [tag for _label, tag in EXPORT_COLUMNS]
    what = f"joint_plan_{joint_plan.pk}"
    chosen = request.GET.get("format", "csv")
    if chosen == "xlsx":
        return xlsx_response(request, what, header, rows, hashtags)
    return csv_response(request, what, header, rows, hashtags if chosen == "hxl" else None)
