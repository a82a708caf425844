"""The analysis pages and their maps, the same two views for every analysis of the
registry (kafo.coordination.registry), and the national authority's priority weights."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.permissions import may_set_priority_weights
from kafo.coordination.forms import PriorityWeightsForm
from kafo.coordination.options import Unavailable
from kafo.coordination.registry import ANALYSES, Analysis
from kafo.feedback import report_form_errors
from kafo.mineaction.models import PriorityWeights
from kafo.response.catalogue import Sector
from kafo.security.exports import downloadable
from kafo.security.limits import heavy


def _page_params(analysis: Analysis, request: HttpRequest):
    """The page's filters: gaps by activity type are mine action's, whatever the sector
    list still shows."""
    params = request.GET.copy()
    if analysis.name == "gaps" and params.get("by") == "activity_type":
        params.pop("sector", None)
    return params


def _refused(error: ValueError) -> HttpResponse:
    """A wrong option: its reason, as text (it may repeat what was typed)."""
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


def _answer(analysis: Analysis, request: HttpRequest, *, fresh: bool = False):
    """(options, answer) as this viewer may read them; PermissionDenied for a viewer the
    analysis is not for; ValueError for a wrong option; answer None when the data cannot
    answer (Unavailable). Third: when the answer is of the data before its last change,
    the time it was computed (the new one is being computed)."""
    if not analysis.may_see(request.user):
        raise PermissionDenied(_("Donors and the public see aggregated analyses only."))
    options = analysis.read(_page_params(analysis, request))
    try:
        if fresh:
            answer, computed_at = analysis.run(options, request.user), None
        else:
            answer, computed_at = analysis.run_for_page(options, request.user)
    except Unavailable:
        return options, None, None
    return options, answer, computed_at


def _tabs(request: HttpRequest, shown: Analysis) -> list[tuple[str, str, bool]]:
    """The analysis pages this viewer may open: (title, address, the one shown)."""
    return [(str(a.title), reverse(a.page), a.name == shown.name) for a in ANALYSES.values()
            if a.path.startswith("analysis/") and a.may_see(request.user)]  # fmt: skip


@heavy
def analysis_page(request: HttpRequest, name: str) -> HttpResponse:
    """An analysis on its page: the answer, ranked and linked to the records behind it."""
    analysis = ANALYSES[name]
    try:
        options, answer, computed_at = _answer(analysis, request)
    except ValueError as error:
        return _refused(error)
    context = {"options": options, "sectors": Sector.choices, "query": request.GET.urlencode(),
               "tabs": _tabs(request, analysis), "computed_at": computed_at,
               **analysis.context(request, answer, options)}  # fmt: skip
    return render(request, analysis.template, context)


@downloadable(lambda name: ANALYSES[name].page)
@heavy
def analysis_map(request: HttpRequest, name: str) -> HttpResponse:
    """An analysis's map: the level's units coloured by the answer."""
    analysis = ANALYSES[name]
    assert analysis.features is not None  # only analyses with a map have this address
    try:
        # A download is a file that will not say when it was computed: always fresh.
        fresh = bool(request.GET.get("download"))
        options, answer, _computed_at = _answer(analysis, request, fresh=fresh)
    except ValueError as error:
        return _refused(error)
    features = analysis.features(answer, options)
    return HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}),
        content_type="application/geo+json",
    )


@require_POST
def priority_weights(request: HttpRequest) -> HttpResponse:
    """The national authority sets the weights of the priority criteria."""
    if not may_set_priority_weights(request.user):
        raise PermissionDenied(_("Only the national authority sets the priority weights."))
    form = PriorityWeightsForm(request.POST, instance=PriorityWeights())
    if form.is_valid():
        form.save()
        messages.success(request, _("The new weights are in force."))
    else:
        report_form_errors(request, form)
    return redirect("priorities")
