"""Who may change what. The rule every view and import applies, in one place.

Coordinators (national authority, IM officers) edit every organisation's records.
Partner editors edit only the records of their own organisation. Viewers and donors
read. A record is anything with an `organisation` (or is an Organisation itself).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from kafo.actors.models import Membership, Organisation, Role

EDITING_ROLES = {Role.COORDINATOR, Role.PARTNER_EDITOR}


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user) -> Role | None:
    membership = membership_of(user)
    return Role(membership.role) if membership else None


def is_coordinator(user) -> bool:
    return role_of(user) == Role.COORDINATOR


# One named rule per write action: the views and the API ask these, never the role.


def require(allowed: bool, reason: str = "") -> None:
    """Refuse the request (403) with the reason, unless `allowed`."""
    if not allowed:
        raise PermissionDenied(reason)


def may_set_priority_weights(user) -> bool:
    """The national authority (the coordination) sets the weights of the priorities."""
    return is_coordinator(user)


def may_add_organisations(user) -> bool:
    """The coordination adds organisations to the directory."""
    return is_coordinator(user)


def may_review_organisations(user) -> bool:
    """The coordination keeps or merges the organisations imports created."""
    return is_coordinator(user)


def may_maintain_strategies(user) -> bool:
    """The coordination adds strategies, their objectives and indicators."""
    return is_coordinator(user)


def may_record_access_restrictions(user) -> bool:
    """The coordination records and corrects access restrictions."""
    return is_coordinator(user)


def may_make_joint_plans(user) -> bool:
    """The coordination computes, re-plans and adopts joint plans."""
    return is_coordinator(user)


def may_assess_commitments(user) -> bool:
    """The coordination imports commitments, records and validates their assessments."""
    return is_coordinator(user)


def may_approve_messages(user) -> bool:
    """Only the coordination approves a key message before a campaign may use it."""
    return is_coordinator(user)


def may_handle_personal_data(user) -> bool:
    """The coordination sees, exports and anonymises a person's data on request."""
    return is_coordinator(user)


def may_review_rehomed_records(user) -> bool:
    """The coordination reviews the records that could not follow new boundaries."""
    return is_coordinator(user)


def may_register_focal_points(user) -> bool:
    """Editors (for their organisation) and the coordination register focal points."""
    return can_create(user)


def may_propose_messages(user) -> bool:
    """Editors and the coordination propose key messages (approved by the coordination)."""
    return can_create(user)


def may_run_campaigns(user) -> bool:
    """Editors and the coordination prepare and send campaigns of approved messages."""
    return can_create(user)


def may_import(user) -> bool:
    """Editors import their organisation's files; the coordination imports any."""
    return can_create(user) or is_coordinator(user)


def _organisation_id_of(record: Model) -> int | None:
    if isinstance(record, Organisation):
        return record.pk
    return getattr(record, "organisation_id", None)


def can_create(user) -> bool:
    """Whether the user may create records (for their organisation, or any if coordinator)."""
    return role_of(user) in EDITING_ROLES


def can_edit(user, record: Model) -> bool:
    """Whether the user may change or delete this record."""
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role == Role.PARTNER_EDITOR:
        return _organisation_id_of(record) == membership.organisation_id
    return False


def can_edit_for(user, organisation_id: int | None) -> bool:
    """Whether the user may change what this organisation owns (a record, or a record
    still pending as field reports): its editors, and the coordination."""
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    return membership.role == Role.PARTNER_EDITOR and membership.organisation_id == organisation_id


def editable_by(user, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` the user may change."""
    membership = membership_of(user)
    if membership is None or membership.role not in EDITING_ROLES:
        return queryset.none()
    if membership.role == Role.COORDINATOR:
        return queryset
    field = "pk" if queryset.model is Organisation else "organisation_id"
    return queryset.filter(**{field: membership.organisation_id})


def can_verify(user, record: Model) -> bool:
    """The submitting organisation verifies its own field reports (or the coordination)."""
    return can_edit(user, record)


def can_validate(user) -> bool:
    """The national IM team accepts and validates; only validated data is official."""
    return is_coordinator(user)


def can_record_flow(user, provider_id: int | None, receiver_id: int | None) -> bool:
    """Coordinators record any funding flow; partner editors those their organisation
    gives or receives."""
    membership = membership_of(user)
    if membership is None or membership.role not in EDITING_ROLES:
        return False
    return membership.role == Role.COORDINATOR or membership.organisation_id in (
        provider_id, receiver_id,
    )  # fmt: skip


def can_borrow(user, owner_id: int) -> bool:
    """Editors (and coordinators) borrow another organisation's resources, not their own."""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role in EDITING_ROLES
        and membership.organisation_id != owner_id
    )


def can_decide_loan(user, owner_id: int, borrower_id: int, side: str) -> bool:
    """The owner's side accepts, refuses and marks returned; the borrower's side cancels.
    The coordination may do either."""
    membership = membership_of(user)
    if membership is None or membership.role not in EDITING_ROLES:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    return membership.organisation_id == (owner_id if side == "owner" else borrower_id)


# Imports of reference data shared by everyone: the coordination's.
COORDINATION_IMPORTS = frozenset({"needs", "organisations", "iati"})


def can_import(user, kind: str) -> bool:
    """Whether the user may import this kind of file (the command line, no user, may)."""
    if user is None:
        return True
    return can_create(user) and (kind not in COORDINATION_IMPORTS or is_coordinator(user))


def can_import_for(user, organisation: Organisation | None) -> bool:
    """Whether an imported row may be written for this organisation: the command line
    (no user) and the coordination for any; a partner editor only for their own, as in
    the web forms."""
    if user is None or is_coordinator(user):
        return True
    membership = membership_of(user)
    return bool(
        membership
        and organisation is not None
        and organisation.pk is not None
        and organisation.pk == membership.organisation_id
    )
