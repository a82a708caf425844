"""Pages for mine action records: lists, details with history, field reports and their
workflow, exports and map layers. What each person sees comes from kafo.security."""

import datetime
import json
from urllib.parse import urlencode

import shapely
import shapely.geometry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DateField, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.models import Organisation
from kafo.actors.permissions import can_create, can_edit, can_validate, can_verify, membership_of
from kafo.geo.models import AdminUnit
from kafo.geo.viewport import bounded_layer
from kafo.mineaction import charts as situation_charts
from kafo.mineaction import figures, reports
from kafo.mineaction.forms import QuickHazardForm, ReportHeaderForm, probable_duplicates
from kafo.mineaction.kinds import KINDS, Kind
from kafo.mineaction.models import Accident, FieldReport, RecordKind, ReportStatus
from kafo.mineaction.vocabularies import DeviceCategory
from kafo.paging import page_of
from kafo.security import outbox
from kafo.security.disclosure import (
    WITHHELD,
    Audience,
    Disclosed,
    disclose,
    disclosed_table,
    disclosed_values,
    mark_personal_data_shown,
    may_see_rows,
    point_features,
    readable,
    unit_count_features,
)
from kafo.security.exports import (
    ExportLayer,
    column_label,
    csv_response,
    downloadable,
    field_at,
    in_chunks,
    layer_download,
    people_header,
    people_values,
)
from kafo.security.suppression import suppress_breakdown
from kafo.sensitivity import policy_for


def _rows_or_denied(request: HttpRequest, model) -> None:
    """Donors and the public see the situation page's aggregates, not records."""
    viewer = Audience.of(request.user)
    if not (
        may_see_rows(viewer, model, None) or may_see_rows(viewer, model, viewer.organisation_id)
    ):
        raise PermissionDenied(
            _("Your role shows aggregated figures only: see the situation page.")
        )


def _kind(code: str) -> Kind:
    try:
        return reports.kind_of(code)
    except ValueError:
        raise Http404(_("Unknown record type.")) from None


def _shown(kind: Kind, path: str, value):
    """A stored value as people read it: labels for codes, lists joined."""
    if value is WITHHELD or value in (None, ""):
        return value
    field = field_at(kind.model, path)
    if field.choices:
        return dict(field.choices).get(value, value)
    if isinstance(field, DateField) and isinstance(value, str):  # a report's ISO date
        try:
            return date_format(datetime.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():  # 160977.0 m² reads 160 977
        return int(value)
    form_field = kind.form.base_fields.get(path)
    if isinstance(value, list) and form_field is not None and getattr(form_field, "choices", None):
        labels = dict(form_field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    return value


def _filtered(request: HttpRequest, kind: Kind):
    def bad_date(value: str) -> None:
        messages.error(request, _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value})

    return filtered_records(request.user, kind, request.GET, bad_date)


def filtered_records(viewer, kind: Kind, params, bad_date=None):
    """The records of `kind` `viewer` may read, filtered by the list's and the map's
    parameters (pcode, organisation, status, classification, reference, device, start,
    end); a date that is not one is left out of the filters and given to `bad_date`."""
    rows = readable(viewer, kind.model.objects.all())
    if (pcode := params.get("pcode", "").strip()) and kind.unit_path:
        rows = rows.filter(**{f"{kind.unit_path}__startswith": pcode})
    if org := params.get("organisation", "").strip():
        rows = rows.filter(organisation_id=org) if org.isdigit() else rows.none()
    if (status := params.get("status", "")) and kind.status_field:  # one, or several: a,b
        rows = rows.filter(**{f"{kind.status_field}__in": status.split(",")})
    if kind.code == RecordKind.HAZARD and (classes := params.get("classification", "")):
        rows = rows.filter(classification__in=classes.split(","))
    if reference := params.get("reference", "").strip():
        rows = rows.filter(reference=reference)
    if kind.code == RecordKind.ACCIDENT and (device := params.get("device", "")):
        rows = rows.filter(device_category=device)
    for name, lookup in (("start", "gte"), ("end", "lte")):
        if (value := params.get(name, "")) and kind.date_field:
            try:
                rows = rows.filter(
                    **{f"{kind.date_field}__{lookup}": datetime.date.fromisoformat(value)}
                )
            except ValueError:
                if bad_date:
                    bad_date(value)
    return rows


def mine_action_index(request: HttpRequest) -> HttpResponse:
    """Every kind of record, with how many validated records the viewer may see."""
    _rows_or_denied(request, Accident)
    kinds = [
        {"kind": kind, "count": readable(request.user, kind.model.objects.all()).count()}
        for kind in KINDS.values()
    ]
    return render(
        request, "mineaction/index.html", {"kinds": kinds, "can_create": can_create(request.user)}
    )


def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    """Validated records of one kind, filtered by admin unit, organisation, status and period."""
    kind = _kind(kind)
    _rows_or_denied(request, kind.model)
    rows = _filtered(request, kind)
    pager = page_of(request, rows)
    columns, table = disclosed_table(request.user, pager["page"].object_list, list(kind.columns))
    shown = [
        [_shown(kind, c, value) for c, value in zip(columns, row, strict=True)] for row in table
    ]
    status_field = kind.model._meta.get_field(kind.status_field) if kind.status_field else None
    return render(
        request,
        "mineaction/record_list.html",
        {
            "kind": kind,
            "headers": [column_label(kind.model, c) for c in columns],
            **pager,
            "rows": shown,
            "count": pager["page"].paginator.count,
            "organisations": Organisation.objects.filter(
                pk__in=kind.model.objects.values("organisation_id")
            ),
            "statuses": status_field.choices if status_field else None,
            "devices": DeviceCategory.choices if kind.code == RecordKind.ACCIDENT else None,
            "regions": AdminUnit.objects.active()
            .filter(level=1)
            .without_geometry()
            .order_by("name"),
            "query": request.GET.urlencode(),
            "layer": True,
            "can_create": can_create(request.user),
        },
    )


def _history(request: HttpRequest, kind: Kind, reference: str) -> list[dict]:
    """The record's field reports, each with the values the viewer may read."""
    reports_ = readable(
        request.user, FieldReport.objects.filter(kind=kind.code, record_reference=reference)
    ).order_by("date_of_information", "submitted_at")
    return [
        {
            "report": disclose(request.user, report),
            "values": _labelled(
                kind,
                disclosed_values(request.user, kind.model, report.organisation_id, report.data),
            ),
        }
        for report in reports_
    ]


def _labelled(kind: Kind, values: dict) -> list[tuple[str, object]]:
    """(field label, shown value) pairs: codes by their label, links by reference."""
    shown = []
    for name, value in values.items():
        field = kind.model._meta.get_field(name)
        if field.is_relation and isinstance(value, int):
            related = field.related_model.objects.filter(pk=value).first()
            value = str(related) if related else value
        elif name == "geometry" and isinstance(value, str) and value:
            polygon = shapely.geometry.shape(json.loads(value))
            value = _("polygon of %(n)d points") % {"n": shapely.get_num_coordinates(polygon)}
        else:
            value = _shown(kind, name, value)
        shown.append((str(field.verbose_name), value))
    return shown


HIDDEN_FIELDS = {"id", "reference", "min_lon", "min_lat", "max_lon", "max_lat", "geometry"}


def _detail_rows(kind: Kind, record: Disclosed) -> list[dict]:
    """Label, value and a note (a place generalised to its admin unit) for each field."""
    generalised_by = policy_for(kind.model).generalised_by
    rows = []
    for field in kind.model._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            continue
        value, note = getattr(record, field.name), ""
        if field.name in generalised_by and not record.may_read(field.name):
            note = _("generalised to the admin unit")
        elif field.choices and value is not WITHHELD:
            value = getattr(record, f"get_{field.name}_display")()
        elif isinstance(value, list) and value and isinstance(value[0], str):
            value = _shown(kind, field.name, value)
        elif isinstance(value, float) and value.is_integer():  # 160 977 m², not 160 977,0
            value = int(value)
        rows.append({"label": str(field.verbose_name), "value": value, "note": note})
    return rows


def _children(request: HttpRequest, kind: Kind, record) -> list[dict]:
    """Linked records: a hazard's activities, an accident's victims, a victim's assistance."""
    children = []
    for child in KINDS.values():
        for field_name in child.parents:
            if child.model._meta.get_field(field_name).related_model is not kind.model:
                continue
            rows = readable(request.user, child.model.objects.filter(**{field_name: record}))
            columns, table = disclosed_table(request.user, rows, list(child.columns)[:6])
            children.append(
                {
                    "kind": child,
                    "headers": [column_label(child.model, c) for c in columns],
                    "rows": [
                        [_shown(child, c, v) for c, v in zip(columns, row, strict=True)]
                        for row in table
                    ],
                }
            )
    return children


def _map_surroundings(kind: Kind, record) -> dict:
    """What a record's map draws around it: its admin unit and the neighbouring units
    (the parent's parts, named), and for a hazard the other hazards there."""
    if not kind.unit_path:
        return {}
    pcode = kind.model.objects.filter(pk=record.pk).values_list(kind.unit_path, flat=True).first()
    unit = (AdminUnit.objects.active().filter(pcode=pcode or "")
            .select_related("parent").without_geometry().first())  # fmt: skip
    if unit is None:
        return {}
    around = unit.parent.pcode if unit.parent_id else unit.pcode
    boundaries = f"{reverse('geo:units_geojson')}?{urlencode({'parent': around})}"
    surroundings = {"map_boundaries": boundaries}
    if kind.code == RecordKind.HAZARD:
        query = urlencode({"pcode": around})
        surroundings["map_context"] = f"{reverse('mineaction:layer', args=['hazard'])}?{query}"
    return surroundings


def record_detail(request: HttpRequest, kind: str, reference: str) -> HttpResponse:
    """One validated record: its current view, linked records and full history."""
    kind = _kind(kind)
    _rows_or_denied(request, kind.model)
    record = get_object_or_404(
        readable(request.user, kind.model.objects.all()), reference=reference
    )
    disclosed = disclose(request.user, record)
    context = {
        "kind": kind,
        "record": disclosed,
        "source_record": record,  # what the library's knowledge links to
        "rows": _detail_rows(kind, disclosed),
        "children": _children(request, kind, record),
        "history": _history(request, kind, reference),
        "can_correct": can_edit(request.user, record),
        "can_handle_personal_data": can_validate(request.user)
        and policy_for(kind.model).personal is not None,
        "layer": True,
        "model_label": kind.model._meta.label_lower,
        "duplicates": [],
    }
    context.update(_map_surroundings(kind, record))
    if kind.code == RecordKind.HAZARD and record.geometry:
        polygon = shapely.geometry.shape(json.loads(record.geometry))
        context["duplicates"] = probable_duplicates(polygon, record.contamination, record.reference)
    if kind.code == RecordKind.QUALITY:
        context["non_conformities"] = record.non_conformities
    return render(request, "mineaction/record_detail.html", context)


# Field reports short enough to be filled with no link, kept in the device's outbox.
OUTBOX_KINDS = ("hazard", "eore", "accident")


@outbox.idempotent("field_report")
def report_new(request: HttpRequest, kind: str) -> HttpResponse:
    """A field report: a new record, or (with ?record=REF) a correction of one."""
    try:
        record_kind = reports.kind_of(kind)
    except ValueError:
        raise Http404(_("Unknown record type.")) from None
    if not can_create(request.user):
        raise PermissionDenied(_("Your role does not submit field reports."))
    reference = request.GET.get("record", "").strip()
    # "Add a victim" from an accident page names the accident.
    initial = {name: request.GET[name] for name in record_kind.parents if name in request.GET}
    if reference:
        record = get_object_or_404(record_kind.model, reference=reference)
        if not can_edit(request.user, record):
            raise PermissionDenied(_("Only its organisation or the coordination may correct it."))
        initial = reports.initial_for(record_kind, reference)
        if policy_for(record_kind.model).restricted_fields:
            mark_personal_data_shown()  # the correction's form holds a person's data
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
            outbox.made(request, report.get_absolute_url())
            return redirect(report)
    if request.method == "POST":
        outbox.refused(request, header, form)
    return render(
        request,
        "mineaction/report_form.html",
        {
            "form": form,
            "header": header,
            "kind": record_kind,
            "reference": reference,
            "outbox_kinds": OUTBOX_KINDS,
        },
    )


@outbox.idempotent("field_report")
def quick_hazard(request: HttpRequest) -> HttpResponse:
    """A hazard indication in a minute (filled with no link, kept in the outbox): a
    hazard field report of classification *indication* for an operator to verify."""
    if not can_create(request.user):
        raise PermissionDenied(_("Your role does not submit field reports."))
    form = QuickHazardForm(request.POST or None, initial={"date_seen": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        kind = reports.kind_of("hazard")
        hazard_form = kind.form(data=form.hazard_values())
        if hazard_form.is_valid():
            report = reports.submit(
                kind, hazard_form, user=request.user,
                organisation=membership_of(request.user).organisation,
                date_of_information=form.cleaned_data["date_seen"],
                source=_("hazard indication"),
            )  # fmt: skip
            messages.success(request, _("Indication %(ref)s received: an operator verifies it.")
                             % {"ref": report.reference})  # fmt: skip
            outbox.made(request, report.get_absolute_url())
            return redirect(report)
        for errors in hazard_form.errors.values():
            form.add_error(None, " ".join(errors))
    if request.method == "POST":
        outbox.refused(request, form)
    return render(request, "mineaction/quick_hazard.html", {"form": form},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def report_list(request: HttpRequest) -> HttpResponse:
    """The workbench: field reports waiting for a step, and the history of all."""
    _rows_or_denied(request, FieldReport)
    status = request.GET.get("status", "")
    items = readable(request.user, FieldReport.objects.select_related("organisation"))
    if status in ReportStatus.values:
        items = items.filter(status=status)
    elif status == "waiting":
        items = waiting_for(request.user, items)
    return render(
        request,
        "mineaction/report_list.html",
        {
            "reports": disclose(request.user, items[:300]),
            "statuses": ReportStatus.choices,
            "status": status,
            "can_report": can_create(request.user),
        },
    )


def waiting_for(user, reports_readable):
    """The reports waiting for this user's step: verifying their organisation's submitted
    reports; for the coordination, also accepting and validating."""
    membership = membership_of(user)
    steps = Q(status=ReportStatus.SUBMITTED)
    if not can_validate(user):
        steps &= Q(organisation_id=membership.organisation_id if membership else None)
    else:
        steps |= Q(status__in=[ReportStatus.VERIFIED, ReportStatus.ACCEPTED])
    if not can_create(user):
        return reports_readable.none()
    return reports_readable.filter(steps)


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
            "values": _labelled(kind, values),
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


def record_export(request: HttpRequest, kind: str) -> HttpResponse:
    """Records as CSV, or HXL with ?format=hxl, with only what the viewer may take."""
    kind = _kind(kind)
    _rows_or_denied(request, kind.model)
    columns, rows = disclosed_table(request.user, _filtered(request, kind), list(kind.columns))
    header = people_header(kind.model, columns)
    hashtags = [kind.columns[c] for c in columns] if request.GET.get("format") == "hxl" else None
    if hashtags is None:
        rows = people_values(kind.model, columns, rows)
    return csv_response(request, kind.code, header, rows, hashtags)


def _properties(kind: Kind):
    """Popup properties of a record: reference, link, date, a summary, hazard status."""

    def properties(record: Disclosed) -> dict:
        date = getattr(record, kind.date_field.split("__")[-1], None) if kind.date_field else None
        summary = getattr(record, f"get_{kind.summary}_display")() if kind.summary else ""
        result = {
            "reference": record.reference,
            "url": record.get_absolute_url(),
            "date": date.isoformat() if hasattr(date, "isoformat") else "",
            "device": str(summary),
        }
        if kind.code == RecordKind.HAZARD:
            result["status"] = record.status
        return result

    return properties


def _features(viewer, kind: Kind, rows) -> list[dict]:
    """Hazard polygons where readable; points for every other record, at its place."""
    properties = _properties(kind)
    features, points = [], []
    for record in rows:
        if kind.code == RecordKind.HAZARD and record.geometry:
            disclosed = Disclosed(record, viewer)
            if disclosed.may_read("geometry"):
                features.append(
                    {"type": "Feature", "geometry": json.loads(record.geometry),
                     "properties": {**properties(disclosed), "generalised": False}}
                )  # fmt: skip
                continue
        points.append(record)
    return features + point_features(viewer, points, properties, place=kind.located)


def _record_layer(viewer, kind: Kind, rows) -> ExportLayer:
    audience = Audience.of(viewer)
    return ExportLayer(in_chunks(rows.iterator(chunk_size=2000),
                                 lambda chunk: _features(audience, kind, chunk)),
                       rows.count())  # fmt: skip


def record_layer_export(viewer, params, code: str) -> ExportLayer:
    """The map layer of the records of kind `code` with the map's filters, as `viewer`
    may read it (a task writes its GeoPackage; registered in kafo.mineaction.apps)."""
    kind = KINDS[code]
    if Audience.of(viewer).aggregates_only:
        raise PermissionDenied(_("Donors and the public see counts per admin unit only."))
    return _record_layer(viewer, kind, filtered_records(viewer, kind, params).select_related(
        f"{kind.place}__admin_unit" if kind.place else "admin_unit"))  # fmt: skip


@downloadable(lambda kind: kind)
def layer(request: HttpRequest, kind: str) -> HttpResponse:
    """A map layer of any kind of record. Partners get points and polygons (exact places
    moved to their admin unit where they may not read them); donors and the public get
    counts per admin unit, with small numbers suppressed."""
    kind = _kind(kind)
    viewer = Audience.of(request.user)
    if viewer.aggregates_only:
        units = list(
            AdminUnit.objects.active().filter(level=settings.KAFO_PUBLIC_LEVEL).without_geometry()
        )
        pcodes = figures.count_per_pcode(
            kind.model.objects.exclude(**{kind.unit_path: None}), kind.unit_path
        )
        under = figures.count_under(pcodes, [unit.pcode for unit in units])
        counts = {unit.pk: under[unit.pcode] for unit in units}
        features = unit_count_features(units, counts, kind.label_plural)
    else:
        place = f"{kind.place}__admin_unit" if kind.place else "admin_unit"
        rows = _filtered(request, kind).select_related(place)
        if wanted := request.GET.get("download"):
            return layer_download(request, kind.code, wanted,
                                  _record_layer(request.user, kind, rows))  # fmt: skip
        return bounded_layer(request, rows, place, lambda shown: _features(viewer, kind, shown),
                             str(kind.label_plural))  # fmt: skip
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )


@login_not_required
def situation(request: HttpRequest) -> HttpResponse:
    """Official figures from validated data, national and per region; public, with
    counts of people under five shown as "<5" for the public and donors."""
    viewer = Audience.of(request.user)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    active = AdminUnit.objects.active().without_geometry()
    unit = active.filter(pcode=request.GET.get("pcode", "").strip()).first()
    # The figures of the country or of one unit, and a row for each unit one level down.
    regions = list(
        (active.filter(parent=unit) if unit else active.filter(level=1)).order_by("name")
    )
    pcodes = [r.pcode for r in regions]
    accidents = figures.accidents_by_unit(pcodes, year)
    casualties = figures.casualties_by_unit(pcodes, year)
    national = figures.official_figures(pcode=unit.pcode if unit else None, year=year)
    remaining = figures.remaining_area_by_unit(pcodes)
    exact = not viewer.aggregates_only
    rows = [
        {
            "unit": region,
            "accidents": accidents[region.pcode],
            "casualties": casualties[region.pcode],
            "remaining": remaining[region.pcode],
        }
        for region in regions
    ]
    if not exact:
        for key in ("accidents", "casualties"):
            shown = suppress_breakdown({row["unit"].pcode: row[key] for row in rows})
            for row in rows:
                row[key] = shown[row["unit"].pcode]
        national = figures.suppressed_figures(national)
    years = figures.casualty_years()
    last = datetime.date(year, 12, 31) if year else timezone.localdate()
    pcode = unit.pcode if unit else None
    charts_shown = {
        "per_month": situation_charts.casualties_per_month(last, exact, pcode),
        "per_region": situation_charts.casualties_per_region(rows) if rows else "",
        "released": situation_charts.land_release_per_year(national["released_area_m2"])
        if national["released_area_m2"]
        else "",
        "eore": situation_charts.risk_education_by_sex_and_age(national["eore_beneficiaries"])
        if national["eore_beneficiaries"]
        else "",
    }
    return render(
        request,
        "mineaction/situation.html",
        {
            "charts": charts_shown,
            "rows": rows,
            "figures": national,
            "year": year,
            "years": years,
            "exact": exact,
            "unit": unit,
            "units": active.filter(level=1).order_by("name"),
        },
    )
