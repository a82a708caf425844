"""Writing the audit log: every create, update, delete, export, login and failed login.

A middleware remembers the request being served (who, from where); model signals
and login signals write one `AuditEvent` each. Values of restricted fields are never
written: only the names of the fields that changed.
"""

from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from kafo.actors.permissions import membership_of
from kafo.security.models import Action, AuditEvent
from kafo.sensitivity import Sensitivity, policy_for

_current_request: ContextVar[HttpRequest | None] = ContextVar("kafo_request", default=None)
# Values longer than this are cut in the log.
_VALUE_LIMIT = 200


class AuditMiddleware:
    """Makes the request (user, address) known to the audit log while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; behind a trusted proxy, the first X-Forwarded-For hop."""
    if request is None:
        return None
    if settings.KAFO_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def safe_label(record: Model) -> str:
    """A label for the log that holds no restricted value: type and reference."""
    label = getattr(record, "audit_label", None)
    if callable(label):
        return str(label())[:255]
    return str(record)[:255]


def record(
    action: str,
    *,
    user=None,
    request: HttpRequest | None = None,
    target: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changes: dict | None = None,
    username: str = "",
    as_request_user: bool = True,
) -> AuditEvent:
    """Append one event; the user and address come from the current request if not given
    (not for a failed login, where the request's user is not the one who failed)."""
    request = request or _current_request.get()
    if user is None and request is not None and as_request_user:
        user = getattr(request, "user", None)
    event = AuditEvent(action=action, changes=changes or {}, username=username)
    if user is not None and getattr(user, "is_authenticated", False):
        event.user_id = user.pk
        event.username = user.get_username()
        membership = membership_of(user)
        if membership is not None:
            event.organisation = str(membership.organisation)[:255]
            event.role = membership.role
    if request is not None:
        event.ip = client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
        event.path = request.path[:255]
    if target is not None:
        event.object_type = target._meta.label_lower
        event.object_id = str(target.pk)
        event.object_label = safe_label(target)
    else:
        event.object_type, event.object_id = object_type, object_id
    event.save()
    return event


def _loggable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, bytes | memoryview):
        return f"<{len(value)} bytes>"
    return str(value)[:_VALUE_LIMIT]


def describe_changes(record_: Model, before: dict[str, Any] | None) -> dict:
    """Changed fields: old and new values for open fields, only the name for others."""
    policy = policy_for(record_)
    account = policy is None and _is_account_model(type(record_))
    changes: dict[str, Any] = {}
    for field in record_._meta.concrete_fields:
        new = getattr(record_, field.attname)
        old = None if before is None else before.get(field.attname)
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", [], {}):
            continue
        if account and field.name == "last_login":  # every login: the login event says it
            continue
        if account:
            open_field = field.name in ACCOUNT_OPEN_FIELDS or field.name.endswith("_id")
            changes[field.name] = ([_loggable(old), _loggable(new)] if before else _loggable(new)
                                   ) if open_field else None  # fmt: skip
        elif policy.sensitivity(field.name) <= Sensitivity.PARTNERS:
            changes[field.name] = [_loggable(old), _loggable(new)] if before else _loggable(new)
        else:
            changes[field.name] = None  # changed; value not kept
    return {"fields": changes}


# Accounts and their keys carry no sensitivity policy, yet who changed whose rights, and
# when, is the first thing an audit asks: their changes are logged, values only for
# these open fields (never a password, a key or a token).
ACCOUNT_MODELS = {"auth.user", "auth.group", "otp_totp.totpdevice", "authtoken.token"}
ACCOUNT_OPEN_FIELDS = {"username", "is_active", "is_staff", "is_superuser", "name", "confirmed"}


def _is_account_model(sender) -> bool:
    return sender._meta.label_lower in ACCOUNT_MODELS


def _audited(sender) -> bool:
    if sender is AuditEvent:
        return False
    return policy_for(sender) is not None or _is_account_model(sender)


@receiver(pre_save)
def _remember_previous_values(sender, instance, raw=False, **kwargs):
    if raw or not _audited(sender) or instance._state.adding or instance.pk is None:
        return
    previous = sender._base_manager.filter(pk=instance.pk).values(
        *[f.attname for f in sender._meta.concrete_fields]
    )
    instance._audit_before = next(iter(previous), None)


@receiver(post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    changes = describe_changes(instance, before)
    if not created and not changes["fields"]:
        return
    record(Action.CREATE if created else Action.UPDATE, target=instance, changes=changes)


@receiver(m2m_changed)
def _log_account_links(sender, instance, action, model, pk_set, **kwargs):
    """A user's groups and permissions (the admin's "rights" boxes)."""
    if action not in ("post_add", "post_remove", "post_clear") or not _is_account_model(
        type(instance)
    ):
        return
    field = next((f.name for f in type(instance)._meta.many_to_many
                  if f.remote_field.through is sender), sender._meta.label)  # fmt: skip
    record(Action.UPDATE, target=instance, changes={
        "fields": {field: {"action": action.removeprefix("post_"),
                           "ids": sorted(pk_set or [])}}})  # fmt: skip


@receiver(post_delete)
def _log_delete(sender, instance, **kwargs):
    if _audited(sender):
        record(Action.DELETE, target=instance)


@receiver(user_logged_in)
def _log_login(sender, request, user, **kwargs):
    record(Action.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def _log_failed_login(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; keep only the name.
    username = str(credentials.get("username", ""))[:150]
    record(Action.LOGIN_FAILED, request=request, username=username, as_request_user=False)
