"""Pages for mine action records: lists, details with history, field reports and their
workflow, exports and map layers. What each person sees comes from kafo.security."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.models import Organisation
from kafo.actors.permissions import can_create, can_edit, can_validate, can_verify, membership_of
from kafo.geo.models import AdminUnit
from kafo.mineaction import figures, reports
from kafo.mineaction.forms import ReportHeaderForm
from kafo.mineaction.models import Accident, FieldReport, RecordKind, ReportStatus, Victim
from kafo.mineaction.vocabularies import DeviceCategory
from kafo.security.disclosure import (
    Audience,
    disclose,
    disclosed_table,
    disclosed_values,
    may_see_rows,
    point_features,
    readable,
    unit_count_features,
)  # fmt: skip
from kafo.security.exports import csv_response, geojson_response
from kafo.security.suppression import suppress_breakdown


def _rows_or_denied(request: HttpRequest, model) -> None:
    """Donors and the public see the situation page's aggregates, not records."""
    viewer = Audience.of(request.user)
    if not (
        may_see_rows(viewer, model, None) or may_see_rows(viewer, model, viewer.organisation_id)
    ):
        raise PermissionDenied(
            _("Your role shows aggregated figures only: see the situation page.")
        )


def _filtered_accidents(request: HttpRequest):
    accidents = readable(
        request.user, Accident.objects.select_related("admin_unit", "organisation")
    )
    params = request.GET
    if pcode := params.get("pcode", "").strip():
        accidents = accidents.filter(admin_unit__pcode__startswith=pcode)
    if org := params.get("organisation", "").strip():
        accidents = accidents.filter(organisation_id=org) if org.isdigit() else accidents.none()
    if device := params.get("device", ""):
        accidents = accidents.filter(device_category=device)
    for name, lookup in (("start", "date__gte"), ("end", "date__lte")):
        if value := params.get(name, ""):
            try:
                accidents = accidents.filter(**{lookup: datetime.date.fromisoformat(value)})
            except ValueError:
                messages.error(
                    request, _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}
                )
    return accidents


def accident_list(request: HttpRequest) -> HttpResponse:
    """Validated accidents with filters (admin unit, organisation, device, period), and a map."""
    _rows_or_denied(request, Accident)
    accidents = _filtered_accidents(request)
    return render(
        request,
        "mineaction/accident_list.html",
        {
            "accidents": disclose(request.user, accidents[:500]),
            "count": accidents.count(),
            "organisations": Organisation.objects.filter(
                pk__in=Accident.objects.values("organisation_id")
            ),
            "devices": DeviceCategory.choices,
            "regions": AdminUnit.objects.filter(
                cod_version__is_active=True, level=1
            ).without_geometry(),
            "query": request.GET.urlencode(),
            "can_create": can_create(request.user),
        },
    )


def _history(request: HttpRequest, kind: str, reference: str, model) -> list[dict]:
    items = []
    for report in readable(
        request.user, FieldReport.objects.filter(kind=kind, record_reference=reference)
    ).order_by("date_of_information", "submitted_at"):
        items.append(
            {
                "report": disclose(request.user, report),
                "values": _labelled(
                    model,
                    disclosed_values(request.user, model, report.organisation_id, report.data),
                ),
            }
        )
    return items


def _labelled(model, values: dict) -> list[tuple[str, object]]:
    """(field label, shown value) pairs: choices by their label, links by reference."""
    shown = []
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.choices and isinstance(value, str):
            value = dict(field.choices).get(value, value)
        elif field.is_relation and isinstance(value, int):
            related = field.related_model.objects.filter(pk=value).first()
            value = str(related) if related else value
        shown.append((str(field.verbose_name), value))
    return shown


def accident_detail(request: HttpRequest, reference: str) -> HttpResponse:
    _rows_or_denied(request, Accident)
    accident = get_object_or_404(
        readable(request.user, Accident.objects.all()), reference=reference
    )
    victims = readable(request.user, accident.victims.all())
    return render(
        request,
        "mineaction/accident_detail.html",
        {
            "accident": disclose(request.user, accident),
            "victims": disclose(request.user, victims),
            "history": _history(request, RecordKind.ACCIDENT, reference, Accident),
            "can_correct": can_edit(request.user, accident),
        },
    )


def victim_detail(request: HttpRequest, reference: str) -> HttpResponse:
    _rows_or_denied(request, Victim)
    victim = get_object_or_404(
        readable(request.user, Victim.objects.select_related("accident")), reference=reference
    )
    return render(
        request,
        "mineaction/victim_detail.html",
        {
            "victim": disclose(request.user, victim),
            "history": _history(request, RecordKind.VICTIM, reference, Victim),
            "can_correct": can_edit(request.user, victim),
            "can_handle_personal_data": can_validate(request.user),
        },
    )


def report_new(request: HttpRequest, kind: str) -> HttpResponse:
    """A field report: a new record, or (with ?record=REF) a correction of one."""
    try:
        record_kind = reports.kind_of(kind)
    except ValueError:
        raise Http404(_("Unknown record type.")) from None
    if not can_create(request.user):
        raise PermissionDenied(_("Your role does not submit field reports."))
    reference = request.GET.get("record", "").strip()
    initial = {}
    if reference:
        record = get_object_or_404(record_kind.model, reference=reference)
        if not can_edit(request.user, record):
            raise PermissionDenied(_("Only its organisation or the coordination may correct it."))
        initial = reports.initial_for(record_kind, reference)
    header = ReportHeaderForm(
        request.POST or None, initial={"date_of_information": datetime.date.today()}
    )
    form = record_kind.form(request.POST or None, initial=initial, correction=bool(reference))
    if request.method == "POST" and header.is_valid() and form.is_valid():
        membership = membership_of(request.user)
        try:
            report = reports.submit(
                record_kind, form, user=request.user, organisation=membership.organisation,
                record_reference=reference, **header.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Field report %(ref)s submitted.") % {"ref": report.reference}
            )
            for warning in report.warnings:
                messages.warning(request, warning)
            return redirect(report)
    return render(
        request,
        "mineaction/report_form.html",
        {"form": form, "header": header, "kind": record_kind, "reference": reference},
    )


def report_list(request: HttpRequest) -> HttpResponse:
    """The workbench: field reports waiting for a step, and the history of all."""
    _rows_or_denied(request, FieldReport)
    status = request.GET.get("status", "")
    items = readable(request.user, FieldReport.objects.select_related("organisation"))
    if status in ReportStatus.values:
        items = items.filter(status=status)
    return render(
        request,
        "mineaction/report_list.html",
        {
            "reports": disclose(request.user, items[:300]),
            "statuses": ReportStatus.choices,
            "status": status,
        },
    )


def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    _rows_or_denied(request, FieldReport)
    report = get_object_or_404(
        readable(request.user, FieldReport.objects.all()), reference=reference
    )
    kind = reports.kind_of(report.kind)
    values = disclosed_values(request.user, kind.model, report.organisation_id, report.data)
    record = kind.model.objects.filter(reference=report.record_reference).first()
    return render(
        request,
        "mineaction/report_detail.html",
        {
            "report": disclose(request.user, report),
            "values": _labelled(kind.model, values),
            "record": record,
            "can_verify": report.status == ReportStatus.SUBMITTED
            and can_verify(request.user, report),
            "can_accept": report.status == ReportStatus.VERIFIED and can_validate(request.user),
            "can_validate": report.status == ReportStatus.ACCEPTED and can_validate(request.user),
            "can_reject": report.status
            in {ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.ACCEPTED}
            and (
                can_validate(request.user)
                or (report.status == ReportStatus.SUBMITTED and can_verify(request.user, report))
            ),
        },
    )


@require_POST
def report_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    _rows_or_denied(request, FieldReport)
    report = get_object_or_404(
        readable(request.user, FieldReport.objects.all()), reference=reference
    )
    steps = {
        "verify": lambda: reports.verify(report, request.user),
        "accept": lambda: reports.accept(report, request.user),
        "validate": lambda: reports.validate(report, request.user),
        "reject": lambda: reports.reject(report, request.user, request.POST.get("reason", "")),
    }
    if action not in steps:
        raise Http404(_("Unknown step."))
    try:
        steps[action]()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Report %(ref)s: %(status)s.")
            % {"ref": report.reference, "status": report.get_status_display()},
        )
    return redirect(report)


ACCIDENT_EXPORT = {
    "reference": "#event+id",
    "date": "#date+occurred",
    "organisation__name": "#org+name",
    "admin_unit__pcode": "#adm+code",
    "admin_unit__name": "#adm+name",
    "longitude": "#geo+lon",
    "latitude": "#geo+lat",
    "device_category": "#indicator+device",
    "accident_type": "#event+type",
    "activity_at_time": "#indicator+activity",
    "area_marked": "#indicator+marked",
}


def accident_export(request: HttpRequest) -> HttpResponse:
    """Accidents as CSV or HXL (?format=hxl), with only the columns the viewer may take."""
    _rows_or_denied(request, Accident)
    columns, rows = disclosed_table(
        request.user, _filtered_accidents(request), list(ACCIDENT_EXPORT)
    )
    header = [
        str(Accident._meta.get_field(c.split("__")[0]).verbose_name)
        if "__" not in c
        else c.replace("__", " ")
        for c in columns
    ]
    hashtags = [ACCIDENT_EXPORT[c] for c in columns] if request.GET.get("format") == "hxl" else None
    return csv_response(request, "accidents", header, rows, hashtags)


def _accident_properties(accident) -> dict:
    return {
        "reference": accident.reference,
        "date": accident.date.isoformat(),
        "device": str(accident.get_device_category_display()),
        "url": accident.get_absolute_url(),
    }


def accidents_geojson(request: HttpRequest) -> HttpResponse:
    """The accidents map layer: points for partners (generalised where they may not see
    the place), counts per admin unit for donors, with small numbers suppressed."""
    viewer = Audience.of(request.user)
    if viewer.aggregates_only:
        units = list(
            AdminUnit.objects.filter(
                cod_version__is_active=True, level=settings.KAFO_PUBLIC_LEVEL
            ).without_geometry()
        )
        by_pcode = figures.accidents_by_unit([unit.pcode for unit in units])
        counts = {unit.pk: by_pcode[unit.pcode] for unit in units}
        features = unit_count_features(units, counts, _("accidents"))
    else:
        accidents = _filtered_accidents(request)
        features = point_features(viewer, accidents, _accident_properties)
    if request.GET.get("download"):
        return geojson_response(request, "accidents", features)
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )


@login_not_required
def situation(request: HttpRequest) -> HttpResponse:
    """Official figures from validated data, national and per region; public, with
    counts under five shown as "<5" for the public and donors."""
    viewer = Audience.of(request.user)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    regions = list(
        AdminUnit.objects.filter(cod_version__is_active=True, level=1)
        .without_geometry()
        .order_by("name")
    )
    pcodes = [r.pcode for r in regions]
    accidents = figures.accidents_by_unit(pcodes, year)
    casualties = figures.casualties_by_unit(pcodes, year)
    national = figures.casualties(year=year)
    exact = not viewer.aggregates_only
    rows = [
        {
            "unit": region,
            "accidents": accidents[region.pcode],
            "casualties": casualties[region.pcode],
        }
        for region in regions
    ]
    if not exact:
        shown_accidents = suppress_breakdown({r["unit"].pcode: r["accidents"] for r in rows})
        shown_casualties = suppress_breakdown({r["unit"].pcode: r["casualties"] for r in rows})
        for row in rows:
            row["accidents"] = shown_accidents[row["unit"].pcode]
            row["casualties"] = shown_casualties[row["unit"].pcode]
        national = {year_: figures.suppressed(values) for year_, values in national.items()}
    years = sorted({int(y) for y in figures.casualties()}, reverse=True)
    return render(
        request,
        "mineaction/situation.html",
        {"rows": rows, "national": national, "year": year, "years": years, "exact": exact},
    )
