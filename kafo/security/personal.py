"""A person's data: export it on request, anonymise it on request or when retention ends."""

import json
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from kafo.security import audit
from kafo.security.models import Action, RetentionRule
from kafo.sensitivity import policies, policy_for


def personal_models() -> dict[str, type[models.Model]]:
    """The models holding people's data, by label ("mineaction.victim")."""
    return {
        policy.model._meta.label_lower: policy.model for policy in policies() if policy.personal
    }


def _plain(record: models.Model) -> dict[str, Any]:
    return {field.name: getattr(record, field.attname) for field in record._meta.concrete_fields}


def personal_data(record: models.Model) -> dict[str, Any]:
    """Everything Kafo holds on the person in `record`, with the rows linked to it."""
    policy = policy_for(record)
    related = policy.personal.related(record) if policy.personal.related else []
    return {
        "record": record._meta.label_lower,
        "data": _plain(record),
        "related": [{"record": item._meta.label_lower, "data": _plain(item)} for item in related],
    }


def export_personal_data(record: models.Model, *, user=None, request=None) -> str:
    """The person's data as JSON, stamped with who exported it and when; logged."""
    event = audit.record(Action.PERSONAL_EXPORT, user=user, request=request, target=record)
    document = {
        "exported_by": event.username,
        "exported_at": event.at.isoformat(),
        "audit_reference": event.pk,
        **personal_data(record),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _erase_value(field: models.Field):
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return field.get_default()
    return ""


@transaction.atomic
def anonymise(record: models.Model, *, user=None, request=None, reason: str = "") -> None:
    """Erase the person's identifying fields here and in every copy; keep the facts
    (sex, age, outcome) that the statistics need."""
    policy = policy_for(record)
    for name in policy.personal.erase:
        field = record._meta.get_field(name)
        setattr(record, field.attname, _erase_value(field))
    record.anonymised_at = timezone.now()
    record.save()
    if policy.personal.scrub:
        policy.personal.scrub(record)
    audit.record(
        Action.ANONYMISE, user=user, request=request, target=record,
        changes={"reason": reason[:200], "fields": list(policy.personal.erase)},
    )  # fmt: skip


def _final_field(model: type[models.Model], path: str) -> models.Field:
    """The field a lookup path ends at ("accident__date" → Accident.date)."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def due_for_retention(rule: RetentionRule):
    """The records a rule says must now be anonymised."""
    model = personal_models()[rule.model]
    policy = policy_for(model)
    cutoff = timezone.now() - timedelta(days=rule.keep_days)
    date_field = _final_field(model, policy.personal.retention_date)
    if isinstance(date_field, models.DateField) and not isinstance(
        date_field, models.DateTimeField
    ):
        cutoff = cutoff.date()
    return model.objects.filter(
        **{f"{policy.personal.retention_date}__lt": cutoff}, anonymised_at__isnull=True
    )


def apply_retention(dry_run: bool = False) -> dict[str, int]:
    """Anonymise what every retention rule says is past its time; counts per model."""
    done: dict[str, int] = {}
    for rule in RetentionRule.objects.all():
        due = list(due_for_retention(rule))
        done[rule.model] = len(due)
        if not dry_run:
            for record in due:
                anonymise(record, reason=f"retention: {rule.keep_days} days")
    return done
