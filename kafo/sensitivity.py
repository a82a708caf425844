"""Sensitivity classes, and the protection policy every Kafo model declares.

Each model says, for every one of its fields, who may read it (`Sensitivity`), which
organisation owns a row, and which fields are a person's data. The disclosure layer
(`kafo.security.disclosure`) reads these policies; views never decide on their own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sensitivity(models.IntegerChoices):
    """Who may read a field, from the widest audience to the narrowest."""

    PUBLIC = 0, _("public")
    PARTNERS = 1, _("partners")
    NATIONAL_IM = 2, _("national IM")
    RESTRICTED = 3, _("restricted personal data")


@dataclass(frozen=True)
class PersonalData:
    """How a model holds a person's data: what anonymising erases, and when."""

    erase: tuple[str, ...]
    # The date that retention rules count from (a field name).
    retention_date: str
    # Other rows holding the same person's data, to export and anonymise with it.
    related: Callable[[models.Model], list[models.Model]] | None = None
    # Extra cleaning of copies kept elsewhere (history, field reports).
    scrub: Callable[[models.Model], None] | None = None


@dataclass(frozen=True)
class Policy:
    """The protection declared by one model."""

    model: type[models.Model]
    fields: dict[str, Sensitivity]
    # Path to the owning organisation's id ("organisation_id", "pk", "accident__organisation_id");
    # None for reference data nobody owns.
    owner: str | None = None
    # The clearance needed to see rows one by one; below it, only aggregates.
    rows: Sensitivity = Sensitivity.PUBLIC
    # Partners see only their own rows (and those flagged by `shared`), not every partner's.
    own_rows_only: bool = False
    shared: str | None = None
    # A hidden exact location is replaced by this coarser field (an admin unit).
    generalised_by: dict[str, str] = field(default_factory=dict)
    personal: PersonalData | None = None

    def sensitivity(self, name: str) -> Sensitivity:
        return self.fields[name]

    @property
    def restricted_fields(self) -> list[str]:
        return [name for name, level in self.fields.items() if level == Sensitivity.RESTRICTED]


_POLICIES: dict[type[models.Model], Policy] = {}


def protect(**options) -> Callable[[type[models.Model]], type[models.Model]]:
    """Class decorator declaring a model's policy; every concrete field must be classed.

    >>> @protect(owner="organisation_id", fields={"id": PUBLIC, "name": RESTRICTED, ...})
    ... class Victim(models.Model): ...
    """

    def register(model: type[models.Model]) -> type[models.Model]:
        policy = Policy(model=model, **options)
        concrete = {f.name for f in (*model._meta.concrete_fields, *model._meta.many_to_many)}
        missing = sorted(concrete - policy.fields.keys())
        unknown = sorted(policy.fields.keys() - concrete)
        if missing or unknown:
            raise ImproperlyConfigured(
                f"{model.__name__}: fields without a sensitivity class {missing}, "
                f"classes for unknown fields {unknown}"
            )
        model._kafo_policy = policy
        _POLICIES[model] = policy
        return model

    return register


def classed(level: Sensitivity, names: str) -> dict[str, Sensitivity]:
    """`{name: level}` for space-separated field names, to write policies compactly."""
    return dict.fromkeys(names.split(), level)


def policy_for(model: type[models.Model] | models.Model) -> Policy | None:
    """The model's policy, or None for models Kafo does not own (Django's)."""
    if isinstance(model, models.Model):
        model = type(model)
    model = model._meta.concrete_model
    return _POLICIES.get(model)


def policies() -> list[Policy]:
    return list(_POLICIES.values())


def restricted_field_names() -> set[str]:
    """Every field name that holds restricted personal data in some model."""
    return {name for policy in _POLICIES.values() for name in policy.restricted_fields}


PUBLIC = Sensitivity.PUBLIC
PARTNERS = Sensitivity.PARTNERS
NATIONAL_IM = Sensitivity.NATIONAL_IM
RESTRICTED = Sensitivity.RESTRICTED


def classes_table() -> str:
    """The fields above "partners", per model, as the Markdown table of
    docs/data-protection.md (a test keeps the two in step)."""
    rows = ["| model | rows seen by | national IM and owner | restricted personal data |",
            "|---|---|---|---|"]  # fmt: skip
    for policy in sorted(policies(), key=lambda p: p.model._meta.label):
        national = sorted(n for n, c in policy.fields.items() if c == Sensitivity.NATIONAL_IM)
        restricted = sorted(policy.restricted_fields)
        if not national and not restricted:
            continue
        seen = Sensitivity(policy.rows).name.lower().replace("_", " ")
        if policy.own_rows_only:
            seen += " (own rows" + (", and shared ones)" if policy.shared else ")")
        rows.append(f"| `{policy.model._meta.label}` | {seen} | {', '.join(national) or '–'} "
                    f"| {', '.join(restricted) or '–'} |")  # fmt: skip
    return "\n".join(rows)
