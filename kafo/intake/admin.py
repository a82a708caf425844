from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kafo.intake.models import FormVersion, IntakeSource, Submission


@admin.register(IntakeSource)
class IntakeSourceAdmin(admin.ModelAdmin):
    """Sources are added here or by `kafo intake add`; their secrets stay in the
    environment (the source names the variable)."""

    list_display = ["name", "platform", "kind", "organisation", "last_pull_at", "last_error"]
    list_filter = ["platform", "kind"]
    readonly_fields = ["cursor", "last_pull_at", "last_error"]
    fieldsets = [
        (None, {"fields": ["name", "platform", "url", "organisation", "kind"]}),
        ("KoBoToolbox", {"fields": ["asset_uid", "token_env"]}),
        ("ODK Central", {"fields": ["project_id", "form_id", "user_env", "password_env"]}),
        (_("Last pull"), {"fields": ["cursor", "last_pull_at", "last_error"]}),
    ]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["root_uuid", "source", "status", "field_report", "submitted_at"]
    list_filter = ["status", "source"]
    readonly_fields = ["raw", "digest", "root_uuid", "instance_uuid", "remote_id",
                       "corrections", "corrected_by", "corrected_at"]  # fmt: skip


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ["form_id", "version", "written_at"]
    readonly_fields = ["kind", "form_id", "version", "written_at"]
