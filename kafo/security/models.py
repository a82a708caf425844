"""The audit log, the retention rules for personal data, and the exports written by a
task."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import PUBLIC, Sensitivity, protect


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("logged out")
    SECOND_FACTOR = "second_factor", _("second factor")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("failed second factor")
    ANONYMISE = "anonymise", _("anonymised")
    PERSONAL_EXPORT = "personal_export", _("personal data exported")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("The audit log is append-only."))

    def delete(self):
        raise ValidationError(_("The audit log is append-only."))


_AUDIT = PUBLIC  # staff-only through the admin; holds no restricted value by construction


@protect(
    fields={
        name: _AUDIT
        for name in (
            "id", "at", "action", "user_id", "username", "organisation", "role",
            "object_type", "object_id", "object_label", "changes", "ip", "user_agent", "path",
        )
    },
    rows=Sensitivity.RESTRICTED,
)  # fmt: skip
class AuditEvent(models.Model):
    """Who did what, when, from where. Never updated or deleted (the database refuses)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    # Plain values, not foreign keys: the log outlives users and records.
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_label = models.CharField(_("record"), max_length=255, blank=True)
    changes = models.JSONField(
        _("details"), default=dict, blank=True,
        help_text=_("Changed fields; values of restricted fields are never kept."),
    )  # fmt: skip
    ip = models.GenericIPAddressField(_("from (IP address)"), null=True, blank=True)
    user_agent = models.CharField(_("browser or tool"), max_length=255, blank=True)
    path = models.CharField(_("address"), max_length=255, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The audit log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit log is append-only."))


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("anonymise")


@protect(
    fields={name: PUBLIC for name in ("id", "model", "keep_days", "action", "note")},
    rows=Sensitivity.RESTRICTED,
)
class RetentionRule(models.Model):
    """How long a kind of personal data is kept before it is anonymised."""

    model = models.CharField(
        _("data"), max_length=100, unique=True,
        help_text=_("The kind of record holding personal data (app.model)."),
    )  # fmt: skip
    keep_days = models.PositiveIntegerField(_("keep for (days)"))
    action = models.CharField(
        _("then"), max_length=16, choices=RetentionAction.choices,
        default=RetentionAction.ANONYMISE,
    )  # fmt: skip
    note = models.CharField(_("legal basis or reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.model}: {self.keep_days}"

    def clean(self) -> None:
        # Here, not at the top: the personal data registry reads these models.
        from kafo.security.personal import personal_models

        if self.model not in personal_models():
            choices = ", ".join(personal_models())
            raise ValidationError({"model": _("Choose one of: %(models)s.") % {"models": choices}})


class ExportStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    RUNNING = "running", _("being written")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


@protect(
    fields={
        name: PUBLIC
        for name in (
            "id", "owner", "what", "format", "query", "language", "event", "rows_total",
            "rows_done", "status", "error", "task_id", "created_at", "finished_at",
        )
    },
    rows=Sensitivity.RESTRICTED,
)  # fmt: skip
class ExportFile(models.Model):
    """An export too large for one request, written by a task for the one who asked for
    it and kept a while for them to download (kafo.security.exports)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("asked by"),
    )  # fmt: skip
    what = models.CharField(_("export"), max_length=40)
    format = models.CharField(_("format"), max_length=8)
    # The list's filters as asked (its query string): the task reads the same rows.
    query = models.TextField(_("filters"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    # The audit line of the request: its reference is stamped in the file.
    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="+", verbose_name=_("audit event")
    )
    rows_total = models.PositiveIntegerField(_("rows"))
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.WAITING
    )
    error = models.TextField(_("why it failed"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.what}.{self.format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent_done(self) -> int:
        return min(100, 100 * self.rows_done // self.rows_total) if self.rows_total else 0

    def path(self) -> Path:
        """Where the file is written (KAFO_EXPORT_DIR)."""
        return Path(settings.KAFO_EXPORT_DIR) / f"{self.pk}.{self.format}"

    @property
    def size(self) -> int | None:
        """The written file's size in bytes (None before it is written, or once removed)."""
        path = self.path()
        return path.stat().st_size if path.exists() else None


@protect(fields={name: PUBLIC for name in ("name", "count", "expires")},
         rows=Sensitivity.RESTRICTED)  # fmt: skip
class HeavyCount(models.Model):
    """A count of one person's heavy requests (kafo.security.limits): this minute's, or
    those running now. One row per count, moved by one atomic statement each time."""

    name = models.CharField(_("count"), max_length=120, primary_key=True)
    count = models.IntegerField(_("requests"), default=0)
    # When the count is forgotten (seconds since 1970): the next request starts again at 1.
    expires = models.FloatField(_("forgotten at"))

    class Meta:
        verbose_name = _("count of heavy requests")
        verbose_name_plural = _("counts of heavy requests")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.name}: {self.count}"


@protect(
    fields={name: PUBLIC for name in ("uuid", "user", "kind", "result_url", "carried_by",
                                      "received_at")},
    rows=Sensitivity.RESTRICTED,
)  # fmt: skip
class OutboxReceipt(models.Model):
    """A form sent from a device's outbox, by the UUID the device gave it: the same form
    sent again (a retry after a lost answer, a hand-carried file replayed) finds its
    receipt and creates nothing (kafo.security.outbox)."""

    uuid = models.UUIDField(_("form sent"), primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("sent by"))  # fmt: skip
    kind = models.CharField(_("form"), max_length=40)
    result_url = models.CharField(_("what it made"), max_length=300, blank=True)
    # Who replayed a hand-carried file for the user, if someone did.
    carried_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("carried by"))  # fmt: skip
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("outbox receipt")
        verbose_name_plural = _("outbox receipts")

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"
