"""Coordination mechanisms: the bodies where mine action is coordinated (national
authority committees, the Mine Action Area of Responsibility, working groups, the
inter-cluster), their meetings with attendance, the decisions taken there and the
action points each organisation owes, followed to their end."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import PARTNERS, PUBLIC, RESTRICTED, classed, protect


class BodyKind(models.TextChoices):
    NATIONAL_COMMITTEE = "national_committee", _("National authority committee")
    AREA_OF_RESPONSIBILITY = "aor", _("Mine Action Area of Responsibility (Protection Cluster)")
    WORKING_GROUP = "working_group", _("Working group")
    INTER_CLUSTER = "inter_cluster", _("Inter-cluster coordination")


class BodyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")


@protect(fields=classed(PUBLIC, "id name acronym kind level admin_unit lead co_leads parent "
                                "terms_of_reference terms_of_reference_item active"))  # fmt: skip
class CoordinationBody(models.Model):
    """A coordination mechanism: who leads it, where it sits, what it answers to."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=BodyLevel.choices,
                             default=BodyLevel.NATIONAL)  # fmt: skip
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("region"), help_text=_("For a regional body."),
    )  # fmt: skip
    lead = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="bodies_led",
                             verbose_name=_("lead organisation"))  # fmt: skip
    co_leads = models.ManyToManyField("actors.Organisation", blank=True,
                                      related_name="bodies_co_led",
                                      verbose_name=_("co-lead organisations"))  # fmt: skip
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="children", verbose_name=_("reports to"))  # fmt: skip
    terms_of_reference = models.URLField(_("terms of reference (a link)"), blank=True)
    terms_of_reference_item = models.ForeignKey(
        "library.LibraryItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("terms of reference (in the library)"),
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("coordination body")
        verbose_name_plural = _("coordination bodies")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.acronym or self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:body", args=[self.pk])


@protect(fields=classed(PUBLIC, "id body title starts_at ends_at place remote agenda minutes "
                                "minutes_item created_by created_at"))  # fmt: skip
class Meeting(models.Model):
    body = models.ForeignKey(CoordinationBody, on_delete=models.PROTECT,
                             related_name="meetings", verbose_name=_("body"))  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    remote = models.BooleanField(_("remote participation"), default=False)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # The minutes as published to the library (a PDF made from this meeting's page).
    minutes_item = models.ForeignKey("library.LibraryItem", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("minutes (in the library)"))  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+",
                                   verbose_name=_("created by"))  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.body} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    UNKNOWN = "", _("Not said")


class AttendanceRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    SECRETARY = "secretary", _("Secretary")
    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer")


@protect(fields={
    **classed(PARTNERS, "name sex"),
    **classed(PUBLIC, "id meeting organisation organisation_name role remote"),
})  # fmt: skip
class Attendance(models.Model):
    """A person at a meeting. The organisation as written is kept beside the one
    recognised."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=_("meeting"))  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("organisation"))  # fmt: skip
    organisation_name = models.CharField(_("organisation as written"), max_length=200,
                                         blank=True)  # fmt: skip
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=AttendanceRole.choices,
                            default=AttendanceRole.PARTICIPANT)  # fmt: skip
    remote = models.BooleanField(_("remote"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name", "organisation_name"],
                                               name="attendance_once_per_meeting")]  # fmt: skip

    def __str__(self) -> str:
        return self.name


@protect(fields=classed(PUBLIC, "id meeting text subject_type subject_id created_at"))
class Decision(models.Model):
    """A decision taken at a meeting, about a plan, an analysis, a commitment, a hazard."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions",
                                verbose_name=_("meeting"))  # fmt: skip
    text = models.TextField(_("decision"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("about"))  # fmt: skip
    subject_id = models.CharField(_("about which"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def subject(self):
        """The record it is about, or None (gone, or none given)."""
        if self.subject_type is None:
            return None
        model = self.subject_type.model_class()
        return model._default_manager.filter(pk=self.subject_id).first() if model else None


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


@protect(owner="owner_id", fields=classed(
    PUBLIC, "id meeting decision text owner owner_person deadline status evidence done_on "
            "created_at"))  # fmt: skip
class ActionPoint(models.Model):
    """What an organisation (and a person in it) owes by a date, and the proof it did."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions",
                                verbose_name=_("meeting"))  # fmt: skip
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="actions", verbose_name=_("decision"))  # fmt: skip
    text = models.TextField(_("action"))
    owner = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT,
                              related_name="action_points",
                              verbose_name=_("owner organisation"))  # fmt: skip
    owner_person = models.CharField(_("person responsible"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)  # fmt: skip
    evidence = models.TextField(_("evidence of completion"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status == ActionStatus.OPEN and self.deadline < (today or timezone.localdate())


class ReferralSource(models.TextChoices):
    VICTIM_ASSISTANCE = "victim_assistance", _("Victim assistance")
    RISK_EDUCATION = "risk_education", _("Risk education")
    SURVEY_CLEARANCE = "survey_clearance", _("Survey and clearance")
    COMMUNITY_LIAISON = "community_liaison", _("Community liaison")


class ReferralTarget(models.TextChoices):
    """The sectors (IASC clusters) mine action refers people and needs to."""

    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    CAMP_COORDINATION = "cccm", _("Camp coordination and camp management")
    PROTECTION = "protection", _("Protection")
    FOOD_SECURITY = "food_security", _("Food security and livelihoods")
    SHELTER = "shelter", _("Shelter")
    WASH = "wash", _("Water, sanitation and hygiene")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    CLOSED = "closed", _("closed: service given")
    DECLINED = "declined", _("declined")


@protect(
    owner="organisation_id",
    fields={
        **classed(PUBLIC, "id source target organisation receiver admin_unit referred_on "
                          "status updated_at"),
        # A case may name or describe a person: its organisation and the coordination only.
        **classed(RESTRICTED, "case_reference summary status_note"),
    },
    rows=PARTNERS,
)  # fmt: skip
class Referral(models.Model):
    """A person or a need referred from mine action to another sector, followed until
    the service is given or declined: intersectoral follow-up made visible."""

    source = models.CharField(_("from"), max_length=20, choices=ReferralSource.choices)
    target = models.CharField(_("to the sector"), max_length=16, choices=ReferralTarget.choices)
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT,
                                     related_name="referrals_made",
                                     verbose_name=_("referring organisation"))  # fmt: skip
    receiver = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="referrals_received",
                                 verbose_name=_("receiving organisation"))  # fmt: skip
    admin_unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("admin unit"))  # fmt: skip
    referred_on = models.DateField(_("referred on"))
    case_reference = models.CharField(_("case reference"), max_length=64, blank=True)
    summary = models.TextField(_("what is needed"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT)  # fmt: skip
    status_note = models.TextField(_("note on the status"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} → {self.get_target_display()}"
