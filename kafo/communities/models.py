"""Community and religious leaders at the centre: focal points with their consent, the
engagements with them, the alerts they raise, approved risk education messages in local
languages and the campaigns that carry them."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kafo.mineaction.vocabularies import Contamination
from kafo.sensitivity import (
    NATIONAL_IM,
    PARTNERS,
    RESTRICTED,
    PersonalData,
    classed,
    protect,
)


class FocalRole(models.TextChoices):
    VILLAGE_CHIEF = "village_chief", _("Village chief")
    QUARTER_CHIEF = "quarter_chief", _("Neighbourhood chief")
    IMAM = "imam", _("Imam")
    MARABOUT = "marabout", _("Marabout")
    PRIEST = "priest", _("Priest")
    PASTOR = "pastor", _("Pastor")
    WOMEN_LEADER = "women_leader", _("Women's association leader")
    YOUTH_LEADER = "youth_leader", _("Youth association leader")
    TEACHER = "teacher", _("Teacher")
    HEALTH_WORKER = "health_worker", _("Community health worker")
    RADIO_HOST = "radio_host", _("Community radio host")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    BAMBARA = "bm", "Bamanankan (bambara)"
    FULFULDE = "ff", "Fulfulde (peul)"
    SONGHAY = "ses", "Songhay"
    TAMASHEQ = "tmh", "Tamasheq"
    SONINKE = "snk", "Soninké"
    DOGON = "dts", "Dogon"
    BOZO = "bze", "Bozo"
    ARABIC = "ar", "Arabe"
    FRENCH = "fr", "Français"
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    RADIO = "radio", _("Radio")
    IN_PERSON = "in_person", _("In person")


class ConsentScope(models.TextChoices):
    CONTACT = "contact", _("Be contacted (phone, in person)")
    SMS = "sms", _("Receive SMS")
    RADIO = "radio", _("Be named on the radio")
    SHARE = "share", _("Be shared with other partners")


PHONE = re.compile(r"^\+\d{8,15}$")


def normalise_phone(text: str, country_code: str = "223") -> str:
    """+223 7x xx xx xx → +2237xxxxxxx; a national number of 8 digits takes the country
    code. ValidationError names the number when it is not one."""
    digits = re.sub(r"[\s.\-()]", "", text or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"\d{8}", digits):
        digits = f"+{country_code}{digits}"
    if not PHONE.match(digits):
        raise ValidationError(
            _("%(phone)s is not a phone number (+223 and 8 digits, or an international "
              "number).") % {"phone": text}
        )  # fmt: skip
    return digits


def _focal_point_copies(focal_point) -> list:
    return [*focal_point.consents.all(), *focal_point.engagements.all()]


@protect(
    owner="organisation_id",
    rows=PARTNERS,
    own_rows_only=True,
    shared="shared",
    fields={
        **classed(RESTRICTED, "name phone"),
        # A leader's village, affiliation (religious, customary) and languages (which tell
        # a people) single a person out where cooperating is dangerous: the owning
        # organisation and the national IM team only.
        **classed(NATIONAL_IM, "settlement languages affiliation"),
        **classed(PARTNERS, "id role admin_unit organisation channels shared active "
                            "created_at updated_at"),
    },
    personal=PersonalData(erase=("name", "phone"), retention_date="updated_at",
                          related=_focal_point_copies),
)  # fmt: skip
class FocalPoint(models.Model):
    """A community or religious leader who relays messages, reports suspicious objects and
    guides survey teams. Names and contacts are restricted personal data; a partner sees
    the focal points it works with, and those shared with all."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=FocalRole.choices)
    settlement = models.ForeignKey(
        "geo.Settlement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settlement"),
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    languages = models.JSONField(_("languages spoken"), default=list)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="focal_points",
        verbose_name=_("works with"),
    )
    channels = models.JSONField(_("contact channels"), default=list)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    shared = models.BooleanField(_("shared with every partner"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("community focal point")
        verbose_name_plural = _("community focal points")
        ordering = ["admin_unit__pcode", "name"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.admin_unit_id})"

    def clean(self) -> None:
        unknown = sorted(set(self.languages) - set(Language.values))
        if unknown:
            raise ValidationError({"languages": _("Unknown languages: %s") % ", ".join(unknown)})
        if not self.languages:
            raise ValidationError({"languages": _("Give at least one language spoken.")})
        if self.phone:
            self.phone = normalise_phone(self.phone)
        if self.settlement_id and self.settlement.admin_unit_id and (
            self.settlement.admin_unit_id != self.admin_unit_id
        ):  # fmt: skip
            raise ValidationError({"settlement": _("The settlement is not in this commune.")})

    def consent_for(self, scope: str, on=None) -> "Consent | None":
        """The consent in force for that use on a date (today), or None."""
        on = on or timezone.localdate()
        for consent in self.consents.all():
            in_force = consent.withdrawn_on is None or consent.withdrawn_on > on
            if consent.given_on <= on and in_force and scope in consent.scope:
                return consent
        return None


@protect(
    owner="focal_point__organisation_id",
    rows=PARTNERS,
    own_rows_only=True,
    fields={
        **classed(PARTNERS, "id focal_point given_on scope withdrawn_on recorded_by"),
        **classed(NATIONAL_IM, "note"),
    },  # free text: it can name people
)
class Consent(models.Model):
    """What a focal point agreed to, when, and its withdrawal. Nobody is contacted outside
    a consent in force."""

    focal_point = models.ForeignKey(
        FocalPoint, on_delete=models.CASCADE, related_name="consents", verbose_name=_("focal point")
    )
    given_on = models.DateField(_("given on"))
    scope = models.JSONField(_("scope"), default=list)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"{self.focal_point_id} {self.given_on}"

    def clean(self) -> None:
        if not self.scope or set(self.scope) - set(ConsentScope.values):
            raise ValidationError({"scope": _("Say what the person agreed to.")})
        if self.withdrawn_on and self.withdrawn_on < self.given_on:
            raise ValidationError({"withdrawn_on": _("The withdrawal is before the consent.")})


class EngagementKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    EORE_RELAY = "eore_relay", _("Risk education relayed")
    TRAINING = "training", _("Training")
    FEEDBACK = "feedback", _("Feedback from the community")
    COMPLAINT = "complaint", _("Complaint")


@protect(owner="organisation_id", rows=PARTNERS, own_rows_only=True,
         fields={**classed(PARTNERS, "id focal_point kind date admin_unit organisation "
                                     "eore_session"),
                 **classed(NATIONAL_IM, "notes")})  # fmt: skip
class Engagement(models.Model):
    """A meeting, risk education relayed, a training, feedback or a complaint."""

    focal_point = models.ForeignKey(
        FocalPoint,
        on_delete=models.CASCADE,
        related_name="engagements",
        verbose_name=_("focal point"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EngagementKind.choices)
    date = models.DateField(_("date"))
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    eore_session = models.ForeignKey(
        "mineaction.EoreSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risk education session"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


class AlertKind(models.TextChoices):
    OBJECT = "object", _("Suspicious object")
    AREA = "area", _("Suspected area")
    INCIDENT = "incident", _("Incident")


class AlertStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    DISMISSED = "dismissed", _("Dismissed")
    VERIFIED = "verified", _("Verified")
    NTS = "nts", _("Non-technical survey")
    EOD = "eod_spot_task", _("EOD spot task")


@protect(owner="organisation_id", rows=PARTNERS,
         fields={**classed(PARTNERS, "id focal_point organisation kind channel reported_at "
                                     "admin_unit longitude latitude device status "
                                     "field_report outcome_at"),
                 # What the caller said and the operator noted can name people.
                 **classed(NATIONAL_IM, "description outcome_note")})  # fmt: skip
class Alert(models.Model):
    """A focal point reports a suspicious object, a suspected area or an incident; it
    becomes a draft field report (an indication hazard, or an accident) for an operator to
    verify, and is followed to its outcome."""

    focal_point = models.ForeignKey(
        FocalPoint, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("focal point")
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reported_at = models.DateTimeField(_("reported at"))
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    device = models.CharField(
        _("what was seen"),
        max_length=20,
        choices=Contamination.choices,
        default=Contamination.ERW_UXO,
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.RECEIVED
    )
    field_report = models.CharField(_("field report"), max_length=20, blank=True)
    outcome_at = models.DateTimeField(_("outcome at"), null=True, blank=True)
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("community alert")
        verbose_name_plural = _("community alerts")
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reported_at:%Y-%m-%d}"

    @property
    def response_hours(self) -> float | None:
        """Hours from the alert to its outcome (None while open)."""
        if self.outcome_at is None:
            return None
        return (self.outcome_at - self.reported_at).total_seconds() / 3600


@protect(fields=classed(PARTNERS, "id key language title text audio version approved_by "
                                  "approved_at created_at"))  # fmt: skip
class KeyMessage(models.Model):
    """An approved risk education key message in one language (text and audio), by
    version: a new wording is a new version, approved again."""

    key = models.CharField(
        _("message"), max_length=80, help_text=_("The same key for every language of a message.")
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    audio = models.FileField(_("audio"), upload_to="messages/", blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")
        ordering = ["key", "language", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "language", "version"],
                                               name="one_message_version")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.key} ({self.language}, v{self.version})"


class CampaignChannel(models.TextChoices):
    FOCAL_POINTS = "focal_points", _("Through focal points")
    RADIO = "radio", _("Community radios")
    SMS = "sms", _("SMS")


@protect(owner="organisation_id",
         fields=classed(PARTNERS, "id name organisation message channel admin_units "
                                  "created_at sending_since send_error sent_at"))  # fmt: skip
class Campaign(models.Model):
    """A key message carried to the focal points of some communes, by a channel."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))  # fmt: skip
    message = models.CharField(_("message"), max_length=80)
    channel = models.CharField(_("channel"), max_length=14, choices=CampaignChannel.choices)
    admin_units = models.ManyToManyField("geo.AdminUnit", related_name="+",
                                         verbose_name=_("communes"))  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Queued for a worker (kafo.communities.tasks.send_campaign) and not over yet.
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True,
                                         editable=False)  # fmt: skip
    send_error = models.TextField(_("why the sending stopped"), blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (no consent or no message in a language spoken)")


@protect(
    owner="campaign__organisation_id",
    rows=PARTNERS,
    own_rows_only=True,
    fields={
        **classed(PARTNERS, "id campaign focal_point language status detail sent_at"),
        **classed(NATIONAL_IM, "feedback"),
    },
)  # what came back can name people
class Delivery(models.Model):
    """What became of a campaign's message for one focal point, and what came back."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("campaign"))  # fmt: skip
    focal_point = models.ForeignKey(FocalPoint, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("focal point"))  # fmt: skip
    language = models.CharField(_("language"), max_length=5, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.focal_point_id}: {self.status}"
