"""The accreditation register (IMAS 07.30): which organisation the national authority
accredited for which activity, under which standard, until when, with which conditions.
Every member reads it; the coordination keeps it."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.actors.models import (
    Accreditation,
    AccreditationStatus,
    AccreditedActivity,
    Organisation,
)
from kafo.actors.permissions import is_coordinator, membership_of
from kafo.actors.tasks import NOTICE_DAYS
from kafo.feedback import report_form_errors


class AccreditationForm(forms.ModelForm):
    class Meta:
        model = Accreditation
        fields = ["organisation", "activity", "issuer", "standard", "standard_reference",
                  "reference", "issued", "expires", "status", "conditions"]  # fmt: skip
        widgets = {"issued": forms.DateInput(attrs={"type": "date"}),
                   "expires": forms.DateInput(attrs={"type": "date"}),
                   "conditions": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("issued") and data.get("expires") and data["expires"] < data["issued"]:
            self.add_error("expires", _("An accreditation expires after it is issued."))
        return data


def state(accreditation: Accreditation, today: datetime.date) -> str:
    """valid, expiring (within NOTICE_DAYS), expired, suspended, withdrawn or not yet."""
    if accreditation.status != AccreditationStatus.ACTIVE:
        return accreditation.status
    if accreditation.issued > today:
        return "not_yet"
    if accreditation.expires is not None and accreditation.expires < today:
        return "expired"
    if accreditation.expires is not None and \
            accreditation.expires <= today + datetime.timedelta(days=NOTICE_DAYS):  # fmt: skip
        return "expiring"
    return "valid"


STATES = {
    "valid": gettext_lazy("valid"), "expiring": gettext_lazy("expires within 60 days"),
    "expired": gettext_lazy("expired"), "suspended": gettext_lazy("suspended"),
    "withdrawn": gettext_lazy("withdrawn"), "not_yet": gettext_lazy("not yet"),
}  # fmt: skip


def register(request: HttpRequest) -> HttpResponse:
    """The register, by organisation and activity, with who may act on it today."""
    if membership_of(request.user) is None:
        raise PermissionDenied(_("The register is for the members of the platform."))
    today = timezone.localdate()
    rows = Accreditation.objects.select_related("organisation", "issuer")
    activity = request.GET.get("activity", "")
    if activity in AccreditedActivity.values:
        rows = rows.filter(activity=activity)
    if request.GET.get("valid") == "1":
        rows = rows.filter(Q(expires__isnull=True) | Q(expires__gte=today),
                           status=AccreditationStatus.ACTIVE, issued__lte=today)  # fmt: skip
    shown = [(a, state(a, today), _label(state(a, today))) for a in rows]
    return render(request, "actors/accreditation_register.html", {
        "rows": shown, "activity": activity, "activities": AccreditedActivity.choices,
        "valid_only": request.GET.get("valid") == "1", "may_edit": is_coordinator(request.user),
    })  # fmt: skip


def _label(code: str) -> str:
    return str(STATES.get(code, code))


def accreditation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The coordination (the national authority) records an accreditation or changes one."""
    if not is_coordinator(request.user):
        raise PermissionDenied(_("The national authority keeps the accreditation register."))
    accreditation = get_object_or_404(Accreditation, pk=pk) if pk else None
    initial: dict[str, object] = {}
    if accreditation is None:
        membership = membership_of(request.user)
        initial["issuer"] = membership.organisation_id if membership else None
        if (organisation := request.GET.get("organisation", "")).isdigit():
            initial["organisation"] = get_object_or_404(Organisation, pk=int(organisation))
    form = AccreditationForm(request.POST or None, instance=accreditation, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("The register is updated: %s.") % saved)
        return redirect("actors:accreditations")
    report_form_errors(request, form)
    return render(request, "actors/accreditation_form.html",
                  {"form": form, "accreditation": accreditation})  # fmt: skip
