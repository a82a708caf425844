"""IMSMA / GICHD / IMAS vocabularies, with stable codes (English) and French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kafo import vocabulary


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


class HazardClassification(models.TextChoices):
    INDICATION = vocabulary.INDICATION, _("Indication")
    SHA = vocabulary.SHA, _("Suspected hazardous area (SHA)")
    CHA = vocabulary.CHA, _("Confirmed hazardous area (CHA)")
    AMMUNITION_STORAGE = vocabulary.AMMUNITION_STORAGE, _("Ammunition storage area")
    EOD_SPOT_TASK = vocabulary.EOD_SPOT_TASK, _("EOD spot task")


class HazardStatus(models.TextChoices):
    OPEN = vocabulary.OPEN, _("Open")
    WORKED_ON = vocabulary.WORKED_ON, _("Worked on")
    SUSPENDED = vocabulary.SUSPENDED, _("Suspended")
    CLOSED = vocabulary.CLOSED, _("Closed / released")


class EvidenceType(models.TextChoices):
    DIRECT = "direct", _("Direct evidence")
    INDIRECT = "indirect", _("Indirect evidence")


class Evidence(models.TextChoices):
    DETONATION = "detonation", _("Detonation")
    ACCIDENT = "accident", _("Accident with a known location")
    MINE_SIGNS = "mine_signs", _("Mine signs")
    VISUAL = "visual", _("Visual observation of devices")
    RECORD = "record", _("High-reliability record")
    COMBAT_ZONE = "combat_zone", _("Former combat zone")
    UNUSED_LAND = "unused_land", _("Unused productive land")
    VERBAL = "verbal", _("Verbal report")
    OTHER = "other", _("Other")


DIRECT_EVIDENCE = {
    Evidence.DETONATION, Evidence.ACCIDENT, Evidence.MINE_SIGNS, Evidence.VISUAL, Evidence.RECORD,
}  # fmt: skip


class Contamination(models.TextChoices):
    IMPROVISED_MINE = "improvised_mine", _("Improvised mine / victim-operated IED")
    AP_MINE = "ap_mine", _("Anti-personnel mine")
    AV_MINE = "av_mine", _("Anti-vehicle mine")
    ERW_UXO = "erw_uxo", _("ERW / unexploded ordnance")
    AXO = "axo", _("Abandoned explosive ordnance")
    CLUSTER = "cluster_munition", _("Cluster munition")


class Blockage(models.TextChoices):
    ROAD = "road", _("Road")
    FARMLAND = "farmland", _("Farmland")
    WATER_POINT = "water_point", _("Water point")
    SCHOOL = "school", _("School")
    HEALTH_CENTRE = "health_centre", _("Health centre")
    MARKET = "market", _("Market")
    GRAZING = "grazing", _("Grazing land")


class ActivityType(models.TextChoices):
    NTS = "nts", _("Non-technical survey")
    TS = "ts", _("Technical survey")
    CLEARANCE = "clearance", _("Clearance")
    BAC = "bac", _("Battle area clearance")
    EOD_SPOT_TASK = "eod_spot_task", _("EOD spot task")
    ROAD = "road", _("Road verification / clearance")
    CANCELLATION = "cancellation", _("Cancellation report")
    COMPLETION = "completion", _("Completion and handover report")
    POST_CLEARANCE = "post_clearance", _("Post-clearance inspection")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")


class DeviceCondition(models.TextChoices):
    ARMED = "armed", _("Armed")
    UNARMED = "unarmed", _("Unarmed")
    DAMAGED = "damaged", _("Damaged")
    UNKNOWN = "unknown", _("Unknown")


class DestructionMethod(models.TextChoices):
    IN_SITU = "in_situ", _("Destroyed in situ")
    REMOVED = "removed", _("Removed and destroyed")
    RENDERED_SAFE = "rendered_safe", _("Rendered safe")
    HANDED_OVER = "handed_over", _("Handed over")
    UNKNOWN = "unknown", _("Unknown")


class EoreMethod(models.TextChoices):
    DIRECT = "direct", _("Direct session")
    FOCAL_POINT = "focal_point", _("Through a community focal point")
    MASS_MEDIA = "mass_media", _("Mass media")
    DIGITAL = "digital", _("Digital")


class Language(models.TextChoices):
    BAMBARA = "bm", _("Bambara")
    FULFULDE = "ff", _("Fulfulde")
    SONGHAY = "ses", _("Songhay")
    TAMASHEQ = "tmh", _("Tamasheq")
    SONINKE = "snk", _("Soninke")
    DOGON = "dgo", _("Dogon")
    BOZO = "bze", _("Bozo")
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    OTHER = "other", _("Other")


class AssistanceService(models.TextChoices):
    EMERGENCY_MEDICAL = "emergency_medical", _("Emergency medical care")
    CONTINUING_MEDICAL = "continuing_medical", _("Continuing medical care")
    REHABILITATION = "rehabilitation", _("Rehabilitation / prosthetics")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    SOCIO_ECONOMIC = "socio_economic", _("Socio-economic inclusion")
    EDUCATION = "education", _("Education")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    RECEIVED = "received", _("Service received")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    NOT_AVAILABLE = "not_available", _("Service not available")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")
