"""The sharing board: resources offered, their calendars, loan requests and decisions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.models import valid_accreditations
from kafo.actors.permissions import (
    can_borrow,
    can_create,
    can_decide_loan,
    can_edit,
    membership_of,
)
from kafo.geo.viewport import bounded_layer
from kafo.response.geojson import point_feature
from kafo.response.sharing.calendar import free_periods, is_free
from kafo.response.sharing.forms import LoanForm, ResourceForm
from kafo.response.sharing.models import Availability, Loan, LoanStatus, Resource
from kafo.security.disclosure import Audience, disclose, readable
from kafo.security.exports import downloadable
from kafo.vocabulary import VA, VA_TEAM, WORK_OF_TEAM

# The work a team does, as the register names what it accredits.
ACCREDITED_WORK = {**WORK_OF_TEAM, VA_TEAM: VA}


def accreditation_of(resource: Resource, register: dict):
    """The register's accreditation in force for a team's work (None: not accredited);
    "" for a resource that needs none (a vehicle, a room)."""
    work = ACCREDITED_WORK.get(resource.kind)
    return "" if work is None else register.get((resource.organisation_id, work))


def sharing_board(request: HttpRequest) -> HttpResponse:
    """What organisations offer to lend: where it is, and when it is free."""
    today = timezone.localdate()
    resources = readable(request.user, Resource.objects.select_related("organisation", "base"))
    offered = resources.filter(offered=True).prefetch_related("availability", "loans")
    if kind := request.GET.get("kind", ""):
        offered = offered.filter(kind=kind)
    membership = membership_of(request.user)
    own = resources.filter(organisation=membership.organisation) if membership else resources.none()
    register = {(a.organisation_id, a.activity): a
                for a in valid_accreditations(today).order_by("expires")}  # fmt: skip
    return render(
        request,
        "response/sharing_board.html",
        {
            "offered": [
                (disclose(request.user, r), free_periods(r, today), accreditation_of(r, register))
                for r in offered
            ],
            "own": disclose(request.user, own),
            "kinds": Resource._meta.get_field("kind").choices,
            "can_create": can_create(request.user),
        },
    )


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(readable(request.user, Resource.objects.all()), pk=pk)
    membership = membership_of(request.user)
    may_request = resource.offered and can_borrow(request.user, resource.organisation_id)
    return render(
        request,
        "response/resource_detail.html",
        {
            "resource": disclose(request.user, resource),
            "free": free_periods(resource, timezone.localdate()),
            "loans": readable(request.user, resource.loans.select_related("borrower"))
            if can_edit(request.user, resource)
            else readable(request.user, resource.loans.select_related("borrower")).filter(
                borrower_id=getattr(membership, "organisation_id", None)
            ),
            "can_edit": can_edit(request.user, resource),
            "loan_form": LoanForm(resource=resource) if may_request else None,
        },
    )


def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk) if pk else None
    if resource is None and not can_create(request.user):
        raise PermissionDenied(_("Your role does not add resources."))
    if resource is not None and not can_edit(request.user, resource):
        raise PermissionDenied(_("Only its owner or the coordination may change it."))
    initial = None
    if resource:
        initial = {"base": resource.base.pcode, "free_periods": "\n".join(
            f"{a.start} {a.end}" for a in resource.availability.all())}  # fmt: skip
    form = ResourceForm(request.POST or None, instance=resource, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            resource = form.save(commit=False)
            if resource.pk is None:
                resource.organisation = membership_of(request.user).organisation
            resource.save()
            resource.availability.all().delete()
            Availability.objects.bulk_create(
                Availability(resource=resource, start=start, end=end)
                for start, end in form.cleaned_data["free_periods"]
            )
        messages.success(request, _("Resource saved."))
        return redirect(resource)
    return render(request, "web/form.html", {"form": form, "title": _("Resource")})


@require_POST
def loan_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to borrow an offered resource for a period when it is free."""
    resource = get_object_or_404(
        readable(request.user, Resource.objects.all()), pk=pk, offered=True
    )
    if not can_borrow(request.user, resource.organisation_id):
        raise PermissionDenied(_("Only another organisation's editors borrow a resource."))
    membership = membership_of(request.user)
    form = LoanForm(request.POST, resource=resource)
    if form.is_valid():
        loan = form.save(commit=False)
        loan.resource, loan.borrower, loan.requested_by = (
            resource,
            membership.organisation,
            request.user,
        )
        loan.save()
        messages.success(
            request, _("Request sent to %(owner)s.") % {"owner": resource.organisation}
        )
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect(resource)


LOAN_STEPS = {
    # action: (who may: "owner" or "borrower", from statuses, to status)
    "accept": ("owner", {LoanStatus.REQUESTED}, LoanStatus.ACCEPTED),
    "refuse": ("owner", {LoanStatus.REQUESTED}, LoanStatus.REFUSED),
    "return": ("owner", {LoanStatus.ACCEPTED}, LoanStatus.RETURNED),
    "cancel": ("borrower", {LoanStatus.REQUESTED, LoanStatus.ACCEPTED}, LoanStatus.CANCELLED),
}


@require_POST
def loan_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    loan = get_object_or_404(Loan.objects.select_related("resource"), pk=pk)
    if action not in LOAN_STEPS:
        raise Http404(_("Unknown step."))
    who, allowed_from, to = LOAN_STEPS[action]
    if not can_decide_loan(request.user, loan.resource.organisation_id, loan.borrower_id, who):
        raise PermissionDenied(_("This step belongs to the other organisation."))
    if loan.status not in allowed_from:
        messages.error(
            request, _("This loan is %(status)s.") % {"status": loan.get_status_display()}
        )
    elif action == "accept" and not _still_free(loan):
        messages.error(request, _("The resource is no longer free for these dates."))
    else:
        loan.status, loan.decided_by, loan.decided_at = to, request.user, timezone.now()
        loan.save()
        messages.success(request, _("Loan: %(status)s.") % {"status": loan.get_status_display()})
    return redirect(loan.resource)


def _still_free(loan: Loan) -> bool:

    return is_free(loan.resource, loan.start, loan.end)


def _resource_features(viewer: Audience, rows):
    for resource in rows.iterator(chunk_size=2000):
        properties = {
            "reference": resource.name,
            "url": resource.get_absolute_url(),
            "date": "",
            "device": str(resource.get_kind_display()),
        }
        exact = resource.longitude is not None and disclose(viewer, resource).may_read("longitude")
        if exact:
            yield point_feature(resource.longitude, resource.latitude, properties, False)
        elif resource.base.label_lon is not None:
            yield point_feature(resource.base.label_lon, resource.base.label_lat, properties,
                                False)  # fmt: skip


@downloadable("resources")
def resources_geojson(request: HttpRequest) -> HttpResponse:
    """Offered resources on the map, at their point if readable, else at their base;
    counted per admin unit where too many for the view (kafo.geo.viewport)."""
    viewer = Audience.of(request.user)
    rows = readable(request.user, Resource.objects.filter(offered=True).select_related("base"))
    return bounded_layer(
        request, rows, "base", lambda shown: _resource_features(viewer, shown), _("resources")
    )
