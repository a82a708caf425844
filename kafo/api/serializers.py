"""What the API reads and writes. Every record goes out through the disclosure layer:
a field the caller may not read is null, as on the web it reads "withheld"."""

from rest_framework import serializers

from kafo.actors.models import Organisation
from kafo.funding.models import Transaction
from kafo.geo.models import AdminUnit
from kafo.response.models import PEOPLE, Activity, Need
from kafo.security.disclosure import disclose


class DisclosedSerializer(serializers.ModelSerializer):
    """Nulls the fields the viewer may not read. A field read through another (the need's
    `pcode` is `admin_unit.pcode`) is readable when that one is."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        viewer = self.context["request"].user
        readable = disclose(viewer, instance).readable_fields
        for name in data:
            field = self.fields.get(name)
            source = field.source.split(".")[0] if field is not None and field.source else name
            if source not in readable and name not in ("id", "url"):
                data[name] = None
        return data


class OrganisationSerializer(DisclosedSerializer):
    alt_names = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, max_length=50,
        help_text="Other names and spellings of the organisation.",
    )  # fmt: skip

    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym", "type", "iati_identifier", "alt_names", "parent",
                  "website", "needs_review"]  # fmt: skip
        read_only_fields = ["needs_review"]


class ActivitySerializer(DisclosedSerializer):
    locations = serializers.SlugRelatedField(
        many=True, slug_field="pcode", queryset=AdminUnit.objects.active(), allow_empty=False,
        help_text="P-codes of the admin units (any level) of the active boundaries.",
    )  # fmt: skip
    points = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        required=False, allow_null=True,
        help_text="[longitude, latitude] pairs (partners only: null for others).",
    )  # fmt: skip
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "organisation", "title", "description", "sector", "activity_type",
                  "status", "planned_start", "planned_end", "actual_start", "actual_end",
                  "locations", "points", "budget", "currency", "source_id", *PEOPLE]  # fmt: skip


class NeedSerializer(DisclosedSerializer):
    pcode = serializers.CharField(source="admin_unit.pcode", read_only=True)

    class Meta:
        model = Need
        fields = ["id", "pcode", "admin_unit", "sector", "year", "population", "in_need",
                  "targeted", "source", "organisation"]  # fmt: skip


class TransactionSerializer(DisclosedSerializer):
    class Meta:
        model = Transaction
        fields = ["id", "type", "provider", "receiver", "activity", "pledge", "date", "amount",
                  "currency", "rate_to_usd", "rate_to_xof", "rate_date", "rate_source",
                  "on_budget", "humanitarian", "description", "source_document"]  # fmt: skip
        read_only_fields = ["rate_to_usd", "rate_to_xof", "rate_date", "rate_source"]


def record_serializer(kind) -> type[serializers.ModelSerializer]:
    """A read-only serializer of a mine action record kind (every field may be withheld)."""
    names = [
        f.name for f in kind.model._meta.concrete_fields if not f.name.endswith(("_lon", "_lat"))
    ]
    meta = type(
        "Meta", (), {"model": kind.model, "fields": names, "read_only_fields": names,
                     "extra_kwargs": {n: {"allow_null": True} for n in names if n != "id"}},
    )  # fmt: skip
    return type(f"{kind.model.__name__}Serializer", (DisclosedSerializer,), {"Meta": meta})


class FieldReportSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    record_reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


def _from_form_field(field) -> serializers.Field:
    """The API field that documents a form field: its type, whether it is required, its
    choices and bounds (the form still checks every value, and the rules across fields)."""
    from django import forms

    common = {"required": field.required, "help_text": str(field.help_text or field.label or "")}
    if not field.required:
        common["allow_null"] = True
    if isinstance(field, forms.ModelChoiceField):
        return serializers.CharField(**common)
    if isinstance(field, forms.ChoiceField):
        choices = [c for c in field.choices if c[0] not in ("", None)]
        if isinstance(field, forms.MultipleChoiceField):
            return serializers.MultipleChoiceField(choices=choices, **common)
        return serializers.ChoiceField(choices=choices, **common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value, max_value=field.max_value, **common
        )
    if isinstance(field, forms.FloatField):
        return serializers.FloatField(
            min_value=field.min_value, max_value=field.max_value, **common
        )
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(required=False)
    return serializers.CharField(
        max_length=field.max_length, allow_blank=not field.required, **common
    )


def report_request_serializer(kind) -> type[serializers.Serializer]:
    """The body of a field report of this kind, documented from the kind's own form."""
    fields = {name: _from_form_field(f) for name, f in kind.form.base_fields.items()}
    for name, field in fields.items():
        # The model's own vocabulary, so the schema names it once (ENUM_NAME_OVERRIDES).
        model_field = next((f for f in kind.model._meta.fields if f.name == name), None)
        if model_field is not None and model_field.choices and hasattr(field, "choices"):
            field.choices = [c for c in model_field.choices if c[0] not in ("", None)]
    fields["record_reference"] = serializers.CharField(
        required=False, allow_blank=True, max_length=32,
        help_text="A correction of this record (its reference).",
    )  # fmt: skip
    fields["date_of_information"] = serializers.DateField(required=False)
    return type(f"{kind.model.__name__}ReportRequest", (serializers.Serializer,), fields)
