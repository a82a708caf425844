"""Lockout after repeated failed logins, counted from the audit log itself.

No second table: the failed logins are already in `AuditEvent`. An account is locked
after KAFO_LOCKOUT_ATTEMPTS failures within KAFO_LOCKOUT_MINUTES since its last
successful login; an address is locked after five times as many, whatever the names
tried (against guessing across accounts).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Max
from django.utils import timezone

from kafo.security.audit import client_ip
from kafo.security.models import Action, AuditEvent


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.KAFO_LOCKOUT_MINUTES)


def locked_until(username: str, ip: str | None) -> datetime | None:
    """When the lock on this name or address ends, or None if it is not locked."""
    since = _window_start()
    failures = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, at__gte=since)
    last_success = AuditEvent.objects.filter(
        action=Action.LOGIN, username__iexact=username, at__gte=since
    ).aggregate(last=Max("at"))["last"]
    by_name = failures.filter(username__iexact=username)
    if last_success:
        by_name = by_name.filter(at__gt=last_success)
    limit = settings.KAFO_LOCKOUT_ATTEMPTS
    window = timedelta(minutes=settings.KAFO_LOCKOUT_MINUTES)
    times = list(by_name.order_by("-at").values_list("at", flat=True)[:limit])
    if username and len(times) >= limit:
        return times[0] + window
    if ip:
        by_ip = list(
            failures.filter(ip=ip).order_by("-at").values_list("at", flat=True)[: limit * 5]
        )
        if len(by_ip) >= limit * 5:
            return by_ip[0] + window
    return None


class LockoutBackend(ModelBackend):
    """Django's password check, refused outright while the name or address is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field(), "")
        if locked_until(str(username or ""), client_ip(request)):
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The user of a session, with their membership and organisation in the same
        query: every page reads them (the menu, the permissions)."""
        from django.contrib.auth import get_user_model

        users = get_user_model()._default_manager.select_related("membership__organisation")
        try:
            user = users.get(pk=user_id)
        except ObjectDoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
