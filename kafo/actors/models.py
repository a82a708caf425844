"""Organisations, and the membership that gives each user an organisation and a role."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo.choices import ChoiceLabels
from kafo.sensitivity import NATIONAL_IM, PARTNERS, PUBLIC, Sensitivity, classed, protect


class OrganisationType(models.TextChoices):
    NATIONAL_AUTHORITY = "national_authority", _("National authority")
    GOVERNMENT = "government", _("Government")
    UN_AGENCY = "un_agency", _("UN agency")
    INTERNATIONAL_NGO = "international_ngo", _("International NGO")
    NATIONAL_NGO = "national_ngo", _("National NGO")
    RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
    DONOR = "donor", _("Donor")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIC = "academic", _("Academic")
    COMMUNITY_BASED = "community_based", _("Community-based organisation")


class LocalisationCategory(models.TextChoices):
    """The Grand Bargain's categories of actors (IASC localisation marker)."""

    NATIONAL_NGO = "national_ngo", _("National NGO")
    LOCAL_NGO = "local_ngo", _("Local NGO")
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    RED_CROSS_NATIONAL = "rc_national_society", _("National Red Cross / Red Crescent Society")
    LOCAL_PRIVATE_SECTOR = "local_private_sector", _("Local private sector")
    INTERNATIONAL = "international", _("International")
    AFFILIATED_NATIONAL = "affiliated_national", _("Internationally affiliated national")


# National and local actors as the Grand Bargain counts them: an internationally
# affiliated national organisation is not one.
NATIONAL_OR_LOCAL = frozenset({
    LocalisationCategory.NATIONAL_NGO, LocalisationCategory.LOCAL_NGO,
    LocalisationCategory.NATIONAL_GOVERNMENT, LocalisationCategory.LOCAL_GOVERNMENT,
    LocalisationCategory.RED_CROSS_NATIONAL, LocalisationCategory.LOCAL_PRIVATE_SECTOR,
})  # fmt: skip
# When an organisation's category is not given, the one its type implies (none where the
# type does not tell: a Red Cross may be the national society or the ICRC).
CATEGORY_OF_TYPE = {
    OrganisationType.NATIONAL_AUTHORITY: LocalisationCategory.NATIONAL_GOVERNMENT,
    OrganisationType.GOVERNMENT: LocalisationCategory.NATIONAL_GOVERNMENT,
    OrganisationType.NATIONAL_NGO: LocalisationCategory.NATIONAL_NGO,
    OrganisationType.COMMUNITY_BASED: LocalisationCategory.LOCAL_NGO,
    OrganisationType.UN_AGENCY: LocalisationCategory.INTERNATIONAL,
    OrganisationType.INTERNATIONAL_NGO: LocalisationCategory.INTERNATIONAL,
    OrganisationType.DONOR: LocalisationCategory.INTERNATIONAL,
}


@protect(
    owner="pk",
    fields=classed(
        PUBLIC,
        "id name acronym type iati_identifier alt_names parent website needs_review localisation",
    ),
)
class Organisation(ChoiceLabels, models.Model):
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"), max_length=100, blank=True,
        help_text=_("For example XM-DAC-41114 for UNDP."),
    )  # fmt: skip
    alt_names = models.JSONField(
        _("other names"), default=list, blank=True,
        help_text=_("Former names and translations, used to recognise the organisation."),
    )  # fmt: skip
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="children", verbose_name=_("parent organisation"),
    )  # fmt: skip
    website = models.URLField(_("website"), blank=True)
    needs_review = models.BooleanField(
        _("to review"), default=False,
        help_text=_("Created by an import from a name Kafo did not recognise for sure."),
    )  # fmt: skip
    localisation = models.CharField(
        _("Grand Bargain category"), max_length=24, blank=True,
        choices=LocalisationCategory.choices,
        help_text=_("National, local or international actor, as the Grand Bargain counts "
                    "them; when empty, the one its type implies."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iati_identifier"], condition=~Q(iati_identifier=""),
                name="organisation_unique_iati_identifier",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("actors:organisation", args=[self.pk])

    @property
    def localisation_category(self) -> str:
        """Its Grand Bargain category: as given, else as its type implies ("" unknown)."""
        return self.localisation or CATEGORY_OF_TYPE.get(self.type, "")

    @property
    def is_national_or_local(self) -> bool:
        """Whether the Grand Bargain counts it as a national or local actor."""
        return self.localisation_category in NATIONAL_OR_LOCAL

    def clean(self) -> None:
        """Refuse a second record for an organisation Kafo already knows."""
        # Here, not at the top: the matcher reads this model.
        from kafo.actors.matching import OrganisationMatcher

        others = Organisation.objects.exclude(pk=self.pk)
        matcher = OrganisationMatcher.from_queryset(others)
        for label in filter(None, [self.name, self.acronym, *(self.alt_names or [])]):
            match = matcher.match(label)
            if match.certain:
                existing = others.get(pk=match.organisation_id)
                raise ValidationError(
                    _("“%(label)s” is already known as %(existing)s."),
                    params={"label": label, "existing": existing},
                    code="duplicate_organisation",
                )


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("National coordinator / IM officer")
    PARTNER_EDITOR = "partner_editor", _("Partner editor")
    PARTNER_VIEWER = "partner_viewer", _("Partner viewer")
    DONOR_VIEWER = "donor_viewer", _("Donor viewer")


@protect(
    owner="organisation_id",
    fields={
        **classed(NATIONAL_IM, "id user email_notices email_bulletin"),
        **classed(PARTNERS, "organisation role"),
    },
    rows=Sensitivity.NATIONAL_IM,
)
class Membership(models.Model):
    """A user's organisation and role: the basis of every permission in Kafo."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
        verbose_name=_("user"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members",
        verbose_name=_("organisation"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # The daily e-mail of what waits for the person (kafo send-notices); theirs to turn off.
    email_notices = models.BooleanField(_("e-mail notices"), default=True)
    # The monthly bulletin (PDF) by e-mail, for those who ask for it.
    email_bulletin = models.BooleanField(_("monthly bulletin by e-mail"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class AccreditedActivity(models.TextChoices):
    """What the national authority accredits an operator for (IMAS 07.30)."""

    EOD = "EOD", _("Explosive ordnance disposal (EOD)")
    NTS = "NTS", _("Non-technical survey")
    TS = "TS", _("Technical survey")
    CLR = "CLR", _("Clearance")
    EORE = "EORE", _("Risk education (EORE)")
    VA = "VA", _("Victim assistance")


class AccreditationStandard(models.TextChoices):
    IMAS = "imas_07_30", _("IMAS 07.30")
    NMAS = "nmas", _("National standard (NMAS)")


class AccreditationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@protect(owner="organisation_id", fields=classed(
    PUBLIC, "id organisation activity issuer standard standard_reference reference issued "
            "expires status conditions created_at updated_at"))  # fmt: skip
class Accreditation(models.Model):
    """An organisation accredited for one activity: who issued it, under which standard,
    from when until when, its status and its conditions. The register the joint plans,
    the sharing board and the capacity indicators read."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="accreditations",
                                     verbose_name=_("organisation"))  # fmt: skip
    activity = models.CharField(_("activity"), max_length=8, choices=AccreditedActivity.choices)
    issuer = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="accreditations_issued",
                               verbose_name=_("issued by"))  # fmt: skip
    standard = models.CharField(_("standard"), max_length=12,
                                choices=AccreditationStandard.choices,
                                default=AccreditationStandard.NMAS)  # fmt: skip
    standard_reference = models.CharField(_("standard's reference"), max_length=120,
                                          blank=True)  # fmt: skip
    reference = models.CharField(_("certificate number"), max_length=60, blank=True)
    issued = models.DateField(_("issued on"))
    expires = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AccreditationStatus.choices,
                              default=AccreditationStatus.ACTIVE)  # fmt: skip
    conditions = models.TextField(_("conditions"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["organisation__name", "activity", "-issued"]
        constraints = [
            models.CheckConstraint(condition=Q(expires__isnull=True) | Q(expires__gte=F("issued")),
                                   name="accreditation_expires_after_issue"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_activity_display()}"

    def valid_on(self, day) -> bool:
        """Active, issued by then and not expired."""
        return (self.status == AccreditationStatus.ACTIVE and self.issued <= day
                and (self.expires is None or self.expires >= day))  # fmt: skip


def valid_accreditations(day) -> models.QuerySet:
    """The accreditations in force on `day`."""
    return Accreditation.objects.filter(
        Q(expires__isnull=True) | Q(expires__gte=day),
        status=AccreditationStatus.ACTIVE, issued__lte=day,
    )  # fmt: skip


def valid_accreditations_between(first, last) -> models.QuerySet:
    """The active accreditations in force on some day from `first` to `last`."""
    return Accreditation.objects.filter(
        Q(expires__isnull=True) | Q(expires__gte=first),
        status=AccreditationStatus.ACTIVE, issued__lte=last,
    )  # fmt: skip
