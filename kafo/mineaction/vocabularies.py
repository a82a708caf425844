"""IMSMA / GICHD / IMAS vocabularies, with stable codes (English) and French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceCategory(models.TextChoices):
    IMPROVISED_MINE = "improvised_mine", _("Improvised mine / victim-operated IED")
    AP_MINE = "ap_mine", _("Anti-personnel mine")
    AV_MINE = "av_mine", _("Anti-vehicle mine")
    ERW_UXO = "erw_uxo", _("ERW / unexploded ordnance")
    AXO = "axo", _("Abandoned explosive ordnance")
    CLUSTER = "cluster_munition", _("Cluster munition")
    UNKNOWN = "unknown", _("Unknown")


class AccidentType(models.TextChoices):
    CIVILIAN = "civilian", _("Civilian accident")
    DEMINING = "demining", _("Demining accident")


class ActivityAtTime(models.TextChoices):
    TRAVELLING_FOOT = "travelling_foot", _("Travelling on foot")
    TRAVELLING_VEHICLE = "travelling_vehicle", _("Travelling by vehicle")
    FARMING = "farming", _("Farming")
    HERDING = "herding", _("Herding")
    COLLECTING = "collecting", _("Collecting wood, water or food")
    PLAYING = "playing", _("Playing")
    HANDLING = "handling", _("Handling or tampering")
    DEMINING = "demining", _("Demining")
    MILITARY = "military", _("Military operation")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Outcome(models.TextChoices):
    KILLED = "killed", _("Killed")
    INJURED = "injured", _("Injured")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class VictimStatus(models.TextChoices):
    CIVILIAN = "civilian", _("Civilian")
    MILITARY = "military", _("Military / security forces")
    DEMINER = "deminer", _("Deminer")
    UNKNOWN = "unknown", _("Unknown")


class DisabilityOutcome(models.TextChoices):
    NONE = "none", _("None")
    AMPUTATION_LOWER = "amputation_lower", _("Lower-limb amputation")
    AMPUTATION_UPPER = "amputation_upper", _("Upper-limb amputation")
    VISUAL = "visual", _("Visual impairment")
    HEARING = "hearing", _("Hearing impairment")
    OTHER = "other", _("Other lasting impairment")
    UNKNOWN = "unknown", _("Unknown")


class Displacement(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    IDP = "idp", _("Internally displaced")
    REFUGEE = "refugee", _("Refugee")
    RETURNEE = "returnee", _("Returnee")
    UNKNOWN = "unknown", _("Unknown")
