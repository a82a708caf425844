"""What the API reads and writes. Every record goes out through the disclosure layer:
a field the caller may not read is null, as on the web it reads "withheld"."""

from rest_framework import serializers

from kafo.actors.models import Organisation
from kafo.funding.models import Transaction
from kafo.geo.models import AdminUnit
from kafo.response.models import PEOPLE, Activity, Need
from kafo.security.disclosure import disclose


class DisclosedSerializer(serializers.ModelSerializer):
    """Nulls the fields the viewer may not read."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        viewer = self.context["request"].user
        readable = disclose(viewer, instance).readable_fields
        for name in data:
            if name not in readable and name not in ("id", "url"):
                data[name] = None
        return data


class OrganisationSerializer(DisclosedSerializer):
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
                  "on_budget", "humanitarian", "description"]  # fmt: skip
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
