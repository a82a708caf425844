"""Pages for activities (5W), resources and loans, and strategies."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.models import Organisation
from kafo.actors.permissions import (
    can_borrow,
    can_create,
    can_decide_loan,
    can_edit,
    can_import,
    may_maintain_strategies,
    may_record_access_restrictions,
    membership_of,
)  # fmt: skip
from kafo.feedback import refused_or_new, report_form_errors
from kafo.geo.models import AdminUnit
from kafo.response.catalogue import ActivityType, Sector
from kafo.response.forms import (
    AccessRestrictionForm,
    ActivityForm,
    FrameworkForm,
    IndicatorForm,
    LoanForm,
    ObjectiveForm,
    ResourceForm,
)  # fmt: skip
from kafo.response.hxl import NEED_COLUMNS, activity_table
from kafo.response.models import (
    AccessRestriction,
    Activity,
    ActivityStatus,
    Availability,
    Framework,
    Loan,
    LoanStatus,
    Measure,
    Need,
    Resource,
)  # fmt: skip
from kafo.response.services import activity_form_initial, save_activity
from kafo.response.sharing import free_periods, is_free
from kafo.response.strategies import PENDING_BUDGETS, achievements
from kafo.security.disclosure import Audience, disclose, disclosed_table, readable, require_rows
from kafo.security.exports import csv_response, downloadable, people_header, people_values


def _activities(request: HttpRequest):
    rows = readable(request.user, Activity.objects.select_related("organisation"))
    params = request.GET
    for name, lookup in (("sector", "sector"), ("type", "activity_type"), ("status", "status")):
        if value := params.get(name, ""):
            rows = rows.filter(**{lookup: value})
    if (org := params.get("organisation", "")).isdigit():
        rows = rows.filter(organisation_id=org)
    if pcode := params.get("pcode", "").strip():
        rows = rows.filter(locations__pcode__startswith=pcode).distinct()
    if params.get("funded"):
        rows = rows.filter(transactions__isnull=False).distinct()
    for name, lookup in (("start", "planned_end__gte"), ("end", "planned_start__lte")):
        if value := params.get(name, ""):
            try:
                rows = rows.filter(**{lookup: datetime.date.fromisoformat(value)})
            except ValueError:
                messages.error(
                    request, _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}
                )
    return rows


def activity_list(request: HttpRequest) -> HttpResponse:
    """Who does what, where, when: the 5W table and map, with filters."""
    rows = _activities(request)
    return render(
        request,
        "response/activity_list.html",
        {
            "activities": disclose(request.user, rows.prefetch_related("locations")[:500]),
            "count": rows.count(),
            "sectors": Sector.choices,
            "types": ActivityType.choices,
            "statuses": ActivityStatus.choices,
            "organisations": Organisation.objects.filter(activities__isnull=False).distinct(),
            "regions": AdminUnit.objects.active()
            .filter(level=1)
            .without_geometry()
            .order_by("name"),
            "query": request.GET.urlencode(),
            "can_create": can_create(request.user),
        },
    )


def _needs(request: HttpRequest):
    rows = readable(request.user, Need.objects.select_related("admin_unit", "organisation"))
    if year := request.GET.get("year", "").strip():
        rows = rows.filter(year=int(year)) if year.isdigit() else rows.none()
    if sector := request.GET.get("sector", ""):
        rows = rows.filter(sector="" if sector == "-" else sector)
    if pcode := request.GET.get("pcode", "").strip():
        rows = rows.filter(admin_unit__pcode__startswith=pcode)
    return rows


def need_list(request: HttpRequest) -> HttpResponse:
    """Needs and population by admin unit, sector and year (imported from HXL)."""
    rows = _needs(request)
    return render(
        request,
        "response/need_list.html",
        {
            "needs": disclose(request.user, rows[:1000]),
            "count": rows.count(),
            "years": Need.objects.values_list("year", flat=True).distinct().order_by("-year"),
            "sectors": Sector.choices,
            "query": request.GET.urlencode(),
            "can_import_needs": can_import(request.user, "needs"),
        },
    )


def need_export(request: HttpRequest) -> HttpResponse:
    """Needs and population as CSV, or HXL with ?format=hxl."""
    columns, rows = disclosed_table(request.user, _needs(request), list(NEED_COLUMNS))
    header = people_header(Need, columns)
    hxl = [NEED_COLUMNS[c] for c in columns] if request.GET.get("format") == "hxl" else None
    if hxl is None:
        rows = people_values(Need, columns, rows)
    return csv_response(request, "needs", header, rows, hxl)


def activity_export(request: HttpRequest) -> HttpResponse:
    """The 5W as CSV, or HXL with ?format=hxl."""
    hxl_wanted = request.GET.get("format") == "hxl"
    header, hashtags, rows = activity_table(request.user, _activities(request),
                                            labels=not hxl_wanted)  # fmt: skip
    hxl = hashtags if hxl_wanted else None
    return csv_response(request, "5w", header, rows, hxl)


def _point(lon: float, lat: float, properties: dict, generalised: bool) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {**properties, "generalised": generalised},
    }


@downloadable("activities")
def activities_geojson(request: HttpRequest) -> HttpResponse:
    """Activities on the map: their points where the viewer may read them, else the centre
    of each admin unit they work in."""
    viewer = Audience.of(request.user)
    features = []
    for activity in _activities(request).prefetch_related("locations"):
        properties = {
            "reference": activity.title,
            "url": activity.get_absolute_url(),
            "date": activity.planned_start.isoformat() if activity.planned_start else "",
            "device": str(activity.get_sector_display()),
        }
        if activity.points and disclose(viewer, activity).may_read("points"):
            features += [_point(lon, lat, properties, False) for lon, lat in activity.points]
        else:
            features += [
                # At its unit's centre: no point given, or one the viewer may not read.
                _point(unit.label_lon, unit.label_lat, properties, True)
                for unit in activity.locations.all()
                if unit.label_lon is not None
            ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(readable(request.user, Activity.objects.all()), pk=pk)
    return render(
        request,
        "response/activity_detail.html",
        {
            "activity": disclose(request.user, activity),
            "locations": activity.locations.all(),
            "participants": activity.participants.select_related("organisation"),
            "shares": activity.objectives.select_related("objective__framework"),
            "transactions": readable(
                request.user, activity.transactions.select_related("provider", "receiver")
            ),
            "can_edit": can_edit(request.user, activity),
        },
    )


def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Report an activity, or correct one of one's own organisation."""
    activity = get_object_or_404(Activity, pk=pk) if pk else None
    if activity is None and not can_create(request.user):
        raise PermissionDenied(_("Your role does not report activities."))
    if activity is not None and not can_edit(request.user, activity):
        raise PermissionDenied(_("Only its organisation or the coordination may change it."))
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        initial=activity_form_initial(activity) if activity else None,
    )
    if request.method == "POST" and form.is_valid():
        organisation = membership_of(request.user).organisation
        activity = save_activity(form, organisation, request.user)
        messages.success(request, _("Activity saved."))
        return redirect(activity)
    return render(request, "web/form.html", {"form": form, "title": _("Activity (5W)")})


def sharing_board(request: HttpRequest) -> HttpResponse:
    """What organisations offer to lend: where it is, and when it is free."""
    today = timezone.localdate()
    resources = readable(request.user, Resource.objects.select_related("organisation", "base"))
    offered = resources.filter(offered=True).prefetch_related("availability", "loans")
    if kind := request.GET.get("kind", ""):
        offered = offered.filter(kind=kind)
    membership = membership_of(request.user)
    own = resources.filter(organisation=membership.organisation) if membership else resources.none()
    return render(
        request,
        "response/sharing_board.html",
        {
            "offered": [(disclose(request.user, r), free_periods(r, today)) for r in offered],
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


@downloadable("resources")
def resources_geojson(request: HttpRequest) -> HttpResponse:
    """Offered resources on the map, at their point if readable, else at their base."""
    viewer = Audience.of(request.user)
    features = []
    rows = readable(request.user, Resource.objects.filter(offered=True).select_related("base"))
    for resource in rows:
        properties = {
            "reference": resource.name,
            "url": resource.get_absolute_url(),
            "date": "",
            "device": str(resource.get_kind_display()),
        }
        exact = resource.longitude is not None and disclose(viewer, resource).may_read("longitude")
        if exact:
            features.append(_point(resource.longitude, resource.latitude, properties, False))
        elif resource.base.label_lon is not None:
            features.append(
                _point(resource.base.label_lon, resource.base.label_lat, properties, False)
            )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def access_list(request: HttpRequest) -> HttpResponse:
    """Access restrictions (escort only, no access) by admin unit and period: those in
    force today first. Members read them; the coordination records them."""
    require_rows(request.user, _("Access restrictions are for the members of the coordination."))
    today = timezone.localdate()
    restrictions = AccessRestriction.objects.select_related("admin_unit", "organisation")
    if not request.GET.get("all"):
        restrictions = restrictions.exclude(end__lt=today)
    return render(
        request,
        "response/access_list.html",
        {
            "restrictions": [(r, r.in_force(today)) for r in restrictions[:1000]],
            "can_record": may_record_access_restrictions(request.user),
            "showing_all": bool(request.GET.get("all")),
        },
    )


def access_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The national coordination records or corrects an access restriction."""
    if not may_record_access_restrictions(request.user):
        raise PermissionDenied(_("Only the national coordination records access restrictions."))
    restriction = get_object_or_404(AccessRestriction, pk=pk) if pk else None
    form = AccessRestrictionForm(request.POST or None, instance=restriction)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.organisation = membership_of(request.user).organisation
        saved.save()
        messages.success(request, _("Saved."))
        return redirect("response:access")
    return render(request, "web/form.html", {"form": form, "title": _("Access restriction")})
