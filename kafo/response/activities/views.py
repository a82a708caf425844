"""The 5W pages: activities (list, map, export, record, form), needs, access
restrictions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.actors.models import Organisation
from kafo.actors.permissions import (
    can_create,
    can_edit,
    can_import,
    may_record_access_restrictions,
    membership_of,
)
from kafo.geo.models import AdminUnit
from kafo.geo.viewport import bounded_layer
from kafo.paging import page_of
from kafo.response.activities.exports import (
    activity_features,
    activity_layer,
    filtered_activities,
)
from kafo.response.activities.forms import AccessRestrictionForm, ActivityForm
from kafo.response.activities.models import AccessRestriction, Activity, ActivityStatus, Need
from kafo.response.catalogue import ActivityType, Sector
from kafo.response.hxl import NEED_COLUMNS, activity_pcodes, activity_rows, locations_of
from kafo.response.services import activity_form_initial, save_activity
from kafo.security.disclosure import Audience, disclose, disclosed_rows, readable, require_rows
from kafo.security.exports import (
    csv_response,
    downloadable,
    layer_download,
    people_converter,
    people_header,
    xlsx_response,
)


def _activities(request: HttpRequest):
    def bad_date(value: str) -> None:
        messages.error(request, _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value})

    return filtered_activities(request.user, request.GET, bad_date)


def activity_list(request: HttpRequest) -> HttpResponse:
    """Who does what, where, when: the 5W table and map, with filters."""
    # The units without their polygons: a page names them, and on PostgreSQL their
    # polygons made the 5W list's first page 0.9 s at a million activities.
    units = Prefetch("locations", queryset=AdminUnit.objects.without_geometry())
    pager = page_of(request, _activities(request).prefetch_related(units))
    return render(
        request,
        "response/activity_list.html",
        {
            **pager,
            "activities": disclose(request.user, pager["page"].object_list),
            "count": pager["page"].paginator.count,
            "sectors": Sector.choices,
            "types": ActivityType.choices,
            "statuses": ActivityStatus.choices,
            # Each organisation asks its index whether it has an activity: no join and
            # DISTINCT over every activity.
            "organisations": Organisation.objects.filter(
                Exists(Activity.objects.filter(organisation=OuterRef("pk")))
            ),
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
    pager = page_of(request, _needs(request))
    return render(
        request,
        "response/need_list.html",
        {
            **pager,
            "needs": disclose(request.user, pager["page"].object_list),
            "count": pager["page"].paginator.count,
            "years": Need.objects.values_list("year", flat=True).distinct().order_by("-year"),
            "sectors": Sector.choices,
            "query": request.GET.urlencode(),
            "can_import_needs": can_import(request.user, "needs"),
        },
    )


def need_export(request: HttpRequest) -> HttpResponse:
    """Needs and population as CSV, or HXL with ?format=hxl; streamed."""
    needs = readable(request.user, _needs(request))
    columns, cells = disclosed_rows(request.user, needs, list(NEED_COLUMNS))
    header = people_header(Need, columns)
    hxl = [NEED_COLUMNS[c] for c in columns] if request.GET.get("format") == "hxl" else None
    if hxl is None:
        convert = people_converter(Need, columns)
        rows = (convert(row) for _pk, row in cells)
        return csv_response(request, "needs", header, rows, count=needs.count())
    pcodes = set(needs.order_by().values_list("admin_unit__pcode", flat=True).distinct())
    return csv_response(request, "needs", header, (row for _pk, row in cells), hxl,
                        count=needs.count(), pcodes=pcodes)  # fmt: skip


def activity_export(request: HttpRequest) -> HttpResponse:
    """The 5W as CSV, HXL with ?format=hxl, or an Excel workbook with ?format=xlsx;
    streamed, in constant memory."""
    hxl_wanted = request.GET.get("format") == "hxl"
    activities = _activities(request)
    header, hashtags, rows = activity_rows(request.user, activities, labels=not hxl_wanted)
    count = readable(request.user, activities).count()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(request, "5w", header, rows, count=count)
    hxl = hashtags if hxl_wanted else None
    pcodes = activity_pcodes(readable(request.user, activities)) if hxl_wanted else None
    return csv_response(request, "5w", header, rows, hxl, count=count, pcodes=pcodes)


@downloadable("activities")
def activities_geojson(request: HttpRequest) -> HttpResponse:
    """Activities on the map: their points where the viewer may read them, else the
    centre of each admin unit they work in. Bounded (kafo.geo.viewport): where there
    are too many for the view, one point per admin unit with its number of activities.
    A download (`?download=geojson|gpkg`) has every activity, streamed."""
    viewer = Audience.of(request.user)
    activities = _activities(request)
    if wanted := request.GET.get("download"):
        return layer_download(request, "activities", wanted,
                              activity_layer(request.user, activities))  # fmt: skip
    return bounded_layer(
        request, activities, "adminunit",
        lambda shown: activity_features(viewer, shown.iterator(chunk_size=2000),
                                        locations_of(shown)),
        _("activities"), links=Activity.locations.through.objects.all(), record_field="activity",
    )  # fmt: skip


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(readable(request.user, Activity.objects.all()), pk=pk)
    return render(
        request,
        "response/activity_detail.html",
        {
            "activity": disclose(request.user, activity),
            "source_record": activity,  # what the library's knowledge links to
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
