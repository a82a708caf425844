"""The REST API: the same records, rules and disclosure as the web pages, for scripts,
KoBo hooks and dashboards. Token authentication (`Authorization: Token …`)."""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from kafo.actors.models import Organisation
from kafo.actors.permissions import (
    can_create,
    can_edit,
    can_record_flow,
    may_add_organisations,
    membership_of,
)
from kafo.api import serializers as s
from kafo.api.filters import filter_queryset
from kafo.api.pagination import ANSWER_LIMIT, ANSWER_MAX_LIMIT, page_of_answer
from kafo.api.permissions import MemberPermission
from kafo.coordination.options import Unavailable
from kafo.coordination.registry import ANALYSES
from kafo.funding.forms import TransactionForm
from kafo.funding.models import Transaction
from kafo.geo.models import AdminUnit
from kafo.mineaction import reports
from kafo.mineaction.kinds import KINDS
from kafo.response.activities.forms import ActivityForm
from kafo.response.models import Activity, Need
from kafo.response.services import activity_form_initial, save_activity
from kafo.security.disclosure import Audience, readable
from kafo.security.limits import heavy


def _parameters(*names: str) -> list[OpenApiParameter]:
    described = {
        "pcode": "Admin unit p-code; its children are included (ML05 → Mopti and its cercles).",
        "sector": "Sector code (PRO-MIN, PRO, FSC…).",
        "organisation": "Organisation id, acronym or IATI identifier.",
        "start": "Period start (YYYY-MM-DD): records overlapping the period.",
        "end": "Period end (YYYY-MM-DD).",
    }
    kinds = {"start": OpenApiTypes.DATE, "end": OpenApiTypes.DATE}
    return [
        OpenApiParameter(name, kinds.get(name, OpenApiTypes.STR), description=described[name])
        for name in names
    ]


class KafoViewSet(viewsets.GenericViewSet):
    permission_classes = [MemberPermission]
    # Any identifier reaches the view, so an unknown one is a JSON 404, not an HTML page.
    lookup_value_regex = "[^/]+"
    filters: dict = {}

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        rows = readable(self.request.user, self.base_queryset())
        if self.action == "list":
            rows = filter_queryset(self.request, rows, self.filters)
        return rows

    # Form fields that the API names otherwise.
    renamed = {
        "location_pcodes": "locations",
        "points_text": "points",
        "__all__": "non_field_errors",
    }

    def _form_errors(self, form) -> ValidationError:
        return ValidationError(
            {self.renamed.get(name, name): list(errors) for name, errors in form.errors.items()}
        )


ACTIVITY_FILTERS = {
    "pcode": "locations__pcode", "sector": "sector", "organisation": "organisation",
    "period": ("planned_start", "planned_end"),
}  # fmt: skip


@extend_schema_view(list=extend_schema(parameters=_parameters(*["pcode", "sector", "organisation",
                                                                "start", "end"])))  # fmt: skip
class ActivityViewSet(
    KafoViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):  # fmt: skip
    """5W activities. Partner editors create and change their organisation's; the
    coordination any; everyone reads (exact points: partners only)."""

    serializer_class = s.ActivitySerializer
    filters = ACTIVITY_FILTERS

    def base_queryset(self):
        units = Prefetch("locations", queryset=AdminUnit.objects.without_geometry())
        return Activity.objects.select_related("organisation").prefetch_related(units)

    def _form(self, data: dict, instance: Activity | None) -> ActivityForm:
        if instance is not None:
            values = {**model_to_dict(instance), **activity_form_initial(instance)}
        else:  # what the model defaults to (people 0, status planned) when left out
            fields = Activity._meta.concrete_fields
            values = {
                f.name: f.get_default()
                for f in fields
                if f.has_default() and not isinstance(f.get_default(), list | dict)
            }
        values.update(data)
        if "locations" in data:
            values["location_pcodes"] = " ".join(unit.pcode for unit in data["locations"])
        if data.get("points") is not None:
            values["points_text"] = "\n".join(f"{lon} {lat}" for lon, lat in data["points"])
        values = {k: ("" if v is None else v) for k, v in values.items()}
        return ActivityForm(values, instance=instance)

    def _refuse_another_organisation(self, request, instance=None) -> None:
        """An activity stays with its organisation (the reporter's, on creation): a write
        naming another is refused with the reason, never silently ignored."""
        if not isinstance(request.data, dict) or "organisation" not in request.data:
            return
        own = instance.organisation_id if instance else membership_of(
            request.user).organisation_id  # fmt: skip
        if str(request.data["organisation"]) != str(own):
            raise PermissionDenied(
                "An activity stays with its organisation: it cannot be moved to another "
                "(organisation is read-only; leave it out)."
            )

    def _save(self, serializer, instance=None) -> Activity:
        form = self._form(serializer.validated_data, instance)
        if not form.is_valid():
            raise self._form_errors(form)
        organisation = instance.organisation if instance else membership_of(
            self.request.user).organisation  # fmt: skip
        with transaction.atomic():
            return save_activity(form, organisation, self.request.user)

    def create(self, request, *args, **kwargs):
        if not can_create(request.user):
            raise PermissionDenied("Your role does not report activities.")
        self._refuse_another_organisation(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = self._save(serializer)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        activity = self.get_object()
        if not can_edit(request.user, activity):
            raise PermissionDenied("Only its organisation or the coordination may change it.")
        self._refuse_another_organisation(request, activity)
        serializer = self.get_serializer(activity, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        activity = self._save(serializer, activity)
        return Response(self.get_serializer(activity).data)


@extend_schema_view(list=extend_schema(parameters=_parameters("organisation")))
class OrganisationViewSet(
    KafoViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):  # fmt: skip
    """The organisation directory: the coordination adds; an editor changes their own."""

    serializer_class = s.OrganisationSerializer

    def base_queryset(self):
        return Organisation.objects.order_by("name")

    def list(self, request, *args, **kwargs):
        rows = self.get_queryset()
        if query := request.query_params.get("organisation", "").strip():
            rows = rows.filter(acronym__iexact=query) | rows.filter(iati_identifier__iexact=query)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_create(self, serializer):
        if not may_add_organisations(self.request.user):
            raise PermissionDenied("Only the coordination adds organisations.")
        self._clean_and_save(serializer)

    def perform_update(self, serializer):
        if not can_edit(self.request.user, serializer.instance):
            raise PermissionDenied("Only its members or the coordination may change it.")
        self._clean_and_save(serializer)

    def _clean_and_save(self, serializer):
        instance = serializer.instance or Organisation()
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        serializer.save()


@extend_schema_view(list=extend_schema(parameters=_parameters("pcode", "sector", "organisation")))
class NeedViewSet(KafoViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Needs and population by admin unit, sector and year (read only; imported in HXL)."""

    serializer_class = s.NeedSerializer
    filters = {"pcode": "admin_unit__pcode", "sector": "sector", "organisation": "organisation"}

    def base_queryset(self):
        return Need.objects.select_related("admin_unit").order_by("-year", "admin_unit__pcode")


@extend_schema_view(list=extend_schema(parameters=_parameters("organisation", "start", "end")))
class TransactionViewSet(
    KafoViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):  # fmt: skip
    """Funding flows (IATI transaction types), converted to USD and XOF at dated rates."""

    serializer_class = s.TransactionSerializer
    filters = {"organisation": "provider", "period": ("date", "date")}

    def base_queryset(self):
        return Transaction.objects.select_related("provider", "receiver").order_by("-date", "pk")

    def create(self, request, *args, **kwargs):
        flow = self._save(self.get_serializer(data=request.data))
        return Response(self.get_serializer(flow).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        flow = self.get_object()
        if not can_record_flow(request.user, flow.provider_id, flow.receiver_id):
            raise PermissionDenied("Only the giving or receiving organisation changes a flow.")
        serializer = self.get_serializer(flow, data=request.data, partial=partial)
        return Response(self.get_serializer(self._save(serializer, flow)).data)

    def _save(self, serializer, instance: Transaction | None = None) -> Transaction:
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if instance is not None:
            data = {**model_to_dict(instance, fields=TransactionForm.Meta.fields), **data}
        provider, receiver = data.get("provider"), data.get("receiver")
        if not can_record_flow(self.request.user, getattr(provider, "pk", provider),
                               getattr(receiver, "pk", receiver)):  # fmt: skip
            raise PermissionDenied("Only the giving or receiving organisation records a flow.")
        values = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v is not None}
        form = TransactionForm(values, instance=instance, user=self.request.user)
        if not form.is_valid():
            raise self._form_errors(form)
        return form.save()


class RecordViewSet(KafoViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Validated mine action records of one kind (partners and the coordination; donors
    and the public see aggregates on the situation page). POST submits a field report,
    checked as on the web, that the national IM team verifies and validates."""

    kind_code = ""
    lookup_field = "reference"
    # A field report is a JSON object of the form's values (lists for multiple choices).
    parser_classes = [JSONParser]

    @property
    def kind(self):
        return KINDS[self.kind_code]

    def base_queryset(self):
        return self.kind.model.objects.order_by("reference")

    def get_queryset(self):
        if Audience.of(self.request.user).aggregates_only:
            raise PermissionDenied("Donors and the public see aggregates only.")
        rows = super().get_queryset()
        pcode = self.request.query_params.get("pcode", "")
        if self.action == "list" and pcode and self.kind.unit_path:
            rows = rows.filter(**{f"{self.kind.unit_path}__startswith": pcode.upper()})
        return rows

    def create(self, request, *args, **kwargs):
        if not can_create(request.user):
            raise PermissionDenied("Your role does not submit field reports.")
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["Send a JSON object of field values."]})
        data = {name: _form_value(name, value) for name, value in request.data.items()}
        reference = str(data.pop("record_reference", "") or "")
        date = str(data.pop("date_of_information", "") or "")
        form = self.kind.form(data=data, correction=bool(reference))
        if not form.is_valid():
            raise self._form_errors(form)
        try:
            informed = datetime.date.fromisoformat(date) if date else datetime.date.today()
        except ValueError:
            raise ValidationError({"date_of_information": ["YYYY-MM-DD"]}) from None
        try:
            report = reports.submit(
                self.kind, form, user=request.user,
                organisation=membership_of(request.user).organisation,
                date_of_information=informed, source="api", record_reference=reference,
            )  # fmt: skip
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        except DjangoValidationError as error:
            raise ValidationError({"record_reference": error.messages}) from None
        return Response(
            {"reference": report.reference, "record_reference": report.record_reference,
             "status": report.status},
            status=status.HTTP_202_ACCEPTED,
        )  # fmt: skip


def _form_value(name: str, value):
    """A JSON value as a form reads it (text, or a list of texts for several choices)."""
    if isinstance(value, list):
        if any(isinstance(item, dict | list) for item in value):
            raise ValidationError({name: ["a list of texts or numbers"]})
        return [str(item) for item in value]
    if isinstance(value, dict):
        raise ValidationError({name: ["a text, a number or a list, not an object"]})
    if isinstance(value, bool):
        return "on" if value else ""
    return "" if value is None else str(value)


def record_viewsets() -> dict[str, type[RecordViewSet]]:
    """One viewset per mine action kind (hazards, accidents, victims…)."""
    viewsets_ = {}
    for code, kind in KINDS.items():
        name = str(kind.model._meta.model_name)
        serializer = s.record_serializer(kind)
        viewsets_[code] = extend_schema_view(
            list=extend_schema(parameters=_parameters("pcode")),
            create=extend_schema(request=s.report_request_serializer(kind),
                                 responses={202: s.FieldReportSerializer}),
        )(type(f"{kind.model.__name__}ViewSet", (RecordViewSet,),
               {"kind_code": code, "serializer_class": serializer,
                "queryset": kind.model.objects.none(), "__doc__":
                f"{kind.model._meta.verbose_name_plural}: " + RecordViewSet.__doc__,
                "basename": name}))  # fmt: skip
    return viewsets_


_OPENAPI_TYPES = {"int": OpenApiTypes.INT, "float": OpenApiTypes.FLOAT,
                  "date": OpenApiTypes.DATE, "code": OpenApiTypes.STR,
                  "choice": OpenApiTypes.STR}  # fmt: skip
# Every option of the registry once, with the analyses that take it.
_ANALYSIS_OPTIONS = {option.name: option for analysis in ANALYSES.values()
                     for option in analysis.options}  # fmt: skip


def _analysis_parameters() -> list[OpenApiParameter]:
    def takers(name: str) -> str:
        return ", ".join(a.name for a in ANALYSES.values()
                         if any(o.name == name for o in a.options))  # fmt: skip

    return [
        OpenApiParameter(name, _OPENAPI_TYPES[option.kind], enum=list(option.choices) or None,
                         description=f"{option.help} ({takers(name)})")
        for name, option in _ANALYSIS_OPTIONS.items()
    ] + [
        OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": ANSWER_MAX_LIMIT},
                         description=f"items of each list of the answer (default {ANSWER_LIMIT})"),
        OpenApiParameter("offset", {"type": "integer", "minimum": 0, "maximum": 2**62},
                         description="the first item of each list (follow `paging.next`)"),
    ]  # fmt: skip


class AnalysisViewSet(viewsets.ViewSet):
    """Coordination analyses, as the registry (kafo.coordination.registry) declares them
    for the pages and `kafo analyse` too: their options and bounds, and who may see them
    (donors and the public get the aggregated ones only)."""

    permission_classes = [MemberPermission]
    lookup_field = "name"
    lookup_value_regex = "[^/]+"

    @extend_schema(parameters=_analysis_parameters(), responses={200: OpenApiTypes.OBJECT})
    @method_decorator(heavy)
    def retrieve(self, request, name: str = ""):
        analysis = ANALYSES.get(name)
        if analysis is None:
            raise NotFound(f"analyses: {', '.join(ANALYSES)}")
        if not analysis.may_see(request.user):
            raise PermissionDenied("Donors and the public see aggregated analyses only.")
        try:
            options = analysis.read(request.query_params)
            return Response(
                page_of_answer(
                    analysis.run(options, request.user),
                    request,
                    {option.name for option in analysis.options},
                )
            )
        except ValueError as error:
            raise ValidationError({"detail": [str(error)]}) from None
        except Unavailable as error:
            raise ValidationError({"detail": [str(error)]}) from None
