"""The audit log, and the retention rules for personal data."""

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
