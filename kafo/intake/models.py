"""Field intake: the versions of Kafo's own forms given out, so that a submission names
a form Kafo knows."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import NATIONAL_IM, PARTNERS, Sensitivity, classed, protect


@protect(rows=Sensitivity.PARTNERS, fields=classed(PARTNERS, "id kind form_id version written_at"))
class FormVersion(models.Model):
    """A version of one of Kafo's XLSForms, recorded when it was first written out
    (`kafo xlsform`, or its download on the imports page)."""

    kind = models.CharField(_("form"), max_length=16)
    form_id = models.CharField(_("form id"), max_length=64)
    version = models.CharField(_("version"), max_length=64)
    written_at = models.DateTimeField(_("first written"), default=timezone.now)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [
            models.UniqueConstraint(fields=["form_id", "version"], name="intake_form_version")
        ]
        ordering = ["kind", "-written_at"]

    def __str__(self) -> str:
        return f"{self.form_id} {self.version}"


class Platform(models.TextChoices):
    KOBO = "kobo", "KoBoToolbox"
    ODK = "odk", "ODK Central"


@protect(owner="organisation_id", rows=Sensitivity.PARTNERS,
         fields={**classed(PARTNERS, "id name platform organisation kind cursor last_pull_at"),
                 # Where the server is and how it failed: for the IM team.
                 **classed(NATIONAL_IM, "url asset_uid token_env project_id form_id user_env "
                                        "password_env last_error")})  # fmt: skip
class IntakeSource(models.Model):
    """A form on KoBoToolbox (an asset) or on ODK Central (a project's form) whose
    submissions Kafo pulls, as the field reports of one organisation. Its credentials stay
    in the environment: the source names the variables, never the secrets."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices)
    url = models.URLField(_("server"))
    asset_uid = models.CharField(_("KoBo asset"), max_length=64, blank=True)
    token_env = models.CharField(_("token's environment variable"), max_length=64, blank=True)
    project_id = models.PositiveIntegerField(_("ODK Central project"), null=True, blank=True)
    form_id = models.CharField(_("ODK Central form id"), max_length=100, blank=True)
    user_env = models.CharField(_("user's environment variable"), max_length=64, blank=True)
    password_env = models.CharField(_("password's environment variable"), max_length=64,
                                    blank=True)  # fmt: skip
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    kind = models.CharField(_("form"), max_length=16)
    # The latest submission time pulled: the next pull asks from a little before it.
    cursor = models.DateTimeField(_("pulled up to"), null=True, blank=True)
    last_pull_at = models.DateTimeField(_("last pull"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("intake source")
        verbose_name_plural = _("intake sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Each platform's own address of the form and variables of its credentials."""
        needed: dict[str, tuple[str, ...]] = {
            Platform.KOBO: ("asset_uid", "token_env"),
            Platform.ODK: ("project_id", "form_id", "user_env", "password_env"),
        }
        said = _("Required for %(platform)s.") % {"platform": self.get_platform_display()}
        missing = [name for name in needed.get(self.platform, ()) if not getattr(self, name)]
        if missing:
            raise ValidationError(dict.fromkeys(missing, said))

    @property
    def origin(self) -> str:
        """The form's address in a field report's source: `kobo:{asset}`,
        `odk:{project}/{form}`."""
        if self.platform == Platform.ODK:
            return f"odk:{self.project_id}/{self.form_id}"
        return f"kobo:{self.asset_uid}"


class SubmissionStatus(models.TextChoices):
    REPORTED = "reported", _("Field report submitted")
    REJECTED = "rejected", _("Rejected (to correct or dismiss)")
    FLAGGED = "flagged", _("Flagged for the IM team")
    DISMISSED = "dismissed", _("Dismissed")


def sources_followed(user) -> models.QuerySet[IntakeSource]:
    """The sources a user follows (all for the coordination, else its organisation's),
    each with its submissions counted by outcome (`reported`, `rejected`, `flagged`)."""
    from kafo.actors.permissions import is_coordinator, membership_of

    sources = IntakeSource.objects.select_related("organisation")
    if not is_coordinator(user):
        membership = membership_of(user)
        sources = sources.filter(organisation_id=membership.organisation_id if membership else 0)
    counted = {name: models.Count("submissions", filter=models.Q(submissions__status=name))
               for name in ("reported", "rejected", "flagged")}  # fmt: skip
    return sources.annotate(**counted)


@protect(owner="source__organisation_id", rows=Sensitivity.NATIONAL_IM,
         fields={**classed(PARTNERS, "id source root_uuid instance_uuid remote_id form_version "
                                     "submitted_at status field_report pulled_at digest "
                                     "answers_digest "
                                     "corrected_by corrected_at"),
                 # As typed in the field: free text can name people.
                 **classed(NATIONAL_IM, "raw reasons corrections")})  # fmt: skip
class Submission(models.Model):
    """A submission as pulled, kept raw before any mapping, once: its key is the root of
    its edits (KoBo's `meta/rootUuid`, else its instance id)."""

    source = models.ForeignKey(
        IntakeSource, on_delete=models.CASCADE, related_name="submissions",
        verbose_name=_("source"),
    )  # fmt: skip
    root_uuid = models.CharField(_("root id"), max_length=64)
    instance_uuid = models.CharField(_("instance id"), max_length=64)
    remote_id = models.CharField(_("remote id"), max_length=64, blank=True)
    form_version = models.CharField(_("form version"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    raw = models.JSONField(_("as pulled"))
    digest = models.CharField(_("digest"), max_length=64)
    # Of the answers alone (not the platform's ids and times): the same report sent twice.
    answers_digest = models.CharField(_("digest of the answers"), max_length=64, blank=True,
                                      db_index=True)  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=SubmissionStatus.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    field_report = models.CharField(_("field report"), max_length=32, blank=True)
    pulled_at = models.DateTimeField(_("pulled at"), default=timezone.now)
    # Answers corrected on Kafo's page (question name → value), over the raw ones, which
    # stay as pulled.
    corrections = models.JSONField(_("corrected answers"), default=dict, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("corrected by"),
    )  # fmt: skip
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["source", "root_uuid"], name="intake_submission_once")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.root_uuid}"


@protect(owner="submission__source__organisation_id", rows=Sensitivity.PARTNERS,
         fields={**classed(PARTNERS, "id submission filename mimetype small_path full_path "
                                     "fetched_at"),
                 # The platform's addresses: for the IM team.
                 **classed(NATIONAL_IM, "download_url small_url")})  # fmt: skip
class Attachment(models.Model):
    """A file sent with a submission (a photo of a device, a signed form): fetched small
    after the pull, full size when someone asks; kept under KAFO_DATA_DIR, served to
    members only."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attachments",
        verbose_name=_("submission"),
    )  # fmt: skip
    filename = models.CharField(_("file name"), max_length=255)
    mimetype = models.CharField(_("type"), max_length=100, blank=True)
    download_url = models.URLField(_("address"), max_length=1000)
    small_url = models.URLField(_("address of the small version"), max_length=1000, blank=True)
    # Relative to KAFO_DATA_DIR/intake; blank until fetched.
    small_path = models.CharField(_("small version"), max_length=500, blank=True)
    full_path = models.CharField(_("full size"), max_length=500, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename
