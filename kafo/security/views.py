"""Personal data on request: see, export, anonymise (national coordination only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.permissions import (
    may_handle_personal_data,
)
from kafo.security.personal import anonymise, export_personal_data, personal_data, personal_models


def _person(request: HttpRequest, model: str, pk: int):
    if not may_handle_personal_data(request.user):
        raise PermissionDenied(_("Only the national coordination handles personal data requests."))
    model_class = personal_models().get(model)
    if model_class is None:
        raise Http404(_("No personal data of this kind."))
    return get_object_or_404(model_class, pk=pk)


def personal_data_page(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    record = _person(request, model, pk)
    return render(
        request,
        "security/personal_data.html",
        {"record": record, "model": model, "data": personal_data(record)},
    )


def personal_data_export(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    record = _person(request, model, pk)
    response = HttpResponse(
        export_personal_data(record, request=request), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="kafo-{model}-{pk}.json"'
    return response


@require_POST
def personal_data_anonymise(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    record = _person(request, model, pk)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Say why (the person's request, a retention rule…)."))
        return redirect("personal_data", model=model, pk=pk)
    anonymise(record, request=request, reason=reason)
    messages.success(request, _("Anonymised: names and contacts erased, history included."))
    return redirect("personal_data", model=model, pk=pk)
