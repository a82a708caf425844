"""Strategies: their list, a strategy with its objectives, indicators and progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.permissions import (
    may_maintain_strategies,
    membership_of,
)
from kafo.feedback import refused_or_new, report_form_errors
from kafo.response.strategies.forms import FrameworkForm, IndicatorForm, ObjectiveForm
from kafo.response.strategies.models import Framework, Measure
from kafo.response.strategies.progress import PENDING_BUDGETS, achievements
from kafo.security.disclosure import readable


def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = readable(request.user, Framework.objects.select_related("owner"))
    return render(
        request,
        "response/framework_list.html",
        {"frameworks": frameworks, "can_create": may_maintain_strategies(request.user)},
    )


def framework_new(request: HttpRequest) -> HttpResponse:
    """The national coordination adds a strategy or plan."""
    if not may_maintain_strategies(request.user):
        raise PermissionDenied(_("Only the national coordination maintains strategies."))
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        framework = form.save(commit=False)
        framework.owner = membership_of(request.user).organisation
        framework.save()
        return redirect(framework)
    return render(request, "web/form.html", {"form": form, "title": _("Strategy or plan")})


@require_POST
def framework_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add an objective or an indicator to a framework (national coordination)."""
    if not may_maintain_strategies(request.user):
        raise PermissionDenied(_("Only the national coordination maintains strategies."))
    framework = get_object_or_404(Framework, pk=pk)
    form_class = {"objective": ObjectiveForm, "indicator": IndicatorForm}.get(part)
    if form_class is None:
        raise Http404(_("Unknown step."))
    form = form_class(request.POST, framework=framework)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
    else:
        report_form_errors(request, form)
    return redirect(framework)


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Pillars, objectives and targets, each indicator's target against what was achieved."""
    framework = get_object_or_404(readable(request.user, Framework.objects.all()), pk=pk)
    achieved = achievements(framework)
    rows = []
    for objective in framework.objectives.prefetch_related("indicators").order_by("code"):
        indicators = [
            {"indicator": i, "achieved": achieved[objective.pk][i.measure],
             "pending": int(achieved[objective.pk][PENDING_BUDGETS])
             if i.measure == Measure.BUDGET_USD else 0,
             "ratio": (achieved[objective.pk][i.measure] / i.target * 100) if i.target else None}
            for i in objective.indicators.all()
        ]  # fmt: skip
        rows.append({"objective": objective, "indicators": indicators,
                     "depth": 0 if objective.parent_id is None else 1})  # fmt: skip
    editing = may_maintain_strategies(request.user)
    return render(
        request,
        "response/framework_detail.html",
        {
            "framework": framework, "rows": rows,
            "objective_form": refused_or_new(request, ObjectiveForm, framework=framework)
            if editing else None,
            "indicator_form": refused_or_new(request, IndicatorForm, framework=framework)
            if editing else None,
        },
    )  # fmt: skip
