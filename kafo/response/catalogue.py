"""Stable codes for sectors and activity types, with French and English labels.

Sectors follow the HDX / IASC Global Coordination Group codes (PRO-MIN for the Mine
Action area of responsibility of the Protection cluster); mine action activity types
use short codes (EORE, NTS, TS, CLR, EOD, VA, ADV, CAP, SSD). `resolve_*` accept a code,
a label in either language or a known alias, whatever the case and accents.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kafo import vocabulary
from kafo.actors.matching import normalise


class Sector(models.TextChoices):
    MINE_ACTION = "PRO-MIN", _("Mine action")
    PROTECTION = "PRO", _("Protection")
    CHILD_PROTECTION = "PRO-CPN", _("Child protection")
    GBV = "PRO-GBV", _("Gender-based violence")
    HLP = "PRO-HLP", _("Housing, land and property")
    FOOD_SECURITY = "FSC", _("Food security")
    HEALTH = "HEA", _("Health")
    NUTRITION = "NUT", _("Nutrition")
    WASH = "WSH", _("Water, sanitation and hygiene")
    EDUCATION = "EDU", _("Education")
    SHELTER = "SHL", _("Shelter and non-food items")
    CCCM = "CCM", _("Camp coordination and camp management")
    EARLY_RECOVERY = "ERY", _("Early recovery")
    LOGISTICS = "LOG", _("Logistics")
    TELECOMS = "TEL", _("Emergency telecommunications")
    COORDINATION = "CSS", _("Coordination and support services")
    MULTI_PURPOSE_CASH = "MPC", _("Multi-purpose cash")
    # An imported activity whose source's sectors map to none of Kafo's (kept as given).
    UNMAPPED = "UNK", _("Sector not mapped")


class ActivityType(models.TextChoices):
    EORE = vocabulary.EORE, _("Explosive ordnance risk education")
    NTS = vocabulary.NTS, _("Non-technical survey")
    TS = vocabulary.TS, _("Technical survey")
    CLR = vocabulary.CLR, _("Clearance")
    EOD = vocabulary.EOD, _("EOD spot task")
    VA = vocabulary.VA, _("Victim assistance services")
    ADV = vocabulary.ADV, _("Advocacy")
    CAP = vocabulary.CAP, _("Capacity building")
    SSD = vocabulary.SSD, _("Stockpile destruction")
    OTHER = vocabulary.OTHER, _("Other activity of the sector")


# Mine action activity types belong to the mine action sector.
MINE_ACTION_TYPES = {t for t in ActivityType.values if t != ActivityType.OTHER}

# Spellings met in partners' files (HXL 3W, IATI, Excel) that mean a known code.
ALIASES = {
    "mine action": Sector.MINE_ACTION, "lutte antimines": Sector.MINE_ACTION,
    "action contre les mines": Sector.MINE_ACTION, "antimines": Sector.MINE_ACTION,
    "wash": Sector.WASH, "eha": Sector.WASH, "eau hygiene et assainissement": Sector.WASH,
    "securite alimentaire": Sector.FOOD_SECURITY, "sante": Sector.HEALTH,
    "abris": Sector.SHELTER, "abris et ame": Sector.SHELTER, "cccm": Sector.CCCM,
    "relevement precoce": Sector.EARLY_RECOVERY, "vbg": Sector.GBV,
    "protection de l'enfance": Sector.CHILD_PROTECTION,
    # Cluster names of OCHA's 3W/5W in Mali and West Africa (French and English).
    "abris/nfi": Sector.SHELTER, "abris/ame": Sector.SHELTER, "abris et nfi": Sector.SHELTER,
    "shelter/nfi": Sector.SHELTER, "shelter and nfi": Sector.SHELTER,
    "emergency shelter and nfi": Sector.SHELTER, "shelter": Sector.SHELTER,
    "protection de l'enfant": Sector.CHILD_PROTECTION, "child protection": Sector.CHILD_PROTECTION,
    "violences basees sur le genre": Sector.GBV, "gbv": Sector.GBV,
    "eau hygiene assainissement": Sector.WASH, "eah": Sector.WASH, "eha (wash)": Sector.WASH,
    "water sanitation and hygiene": Sector.WASH,
    "securite alimentaire et moyens d'existence": Sector.FOOD_SECURITY,
    "food security and livelihoods": Sector.FOOD_SECURITY, "logistique": Sector.LOGISTICS,
    "telecommunications d'urgence": Sector.TELECOMS, "gestion des sites": Sector.CCCM,
    "cccm/gestion des sites": Sector.CCCM, "coordination": Sector.COORDINATION,
    "transferts monetaires a usages multiples": Sector.MULTI_PURPOSE_CASH,
    "multi-purpose cash": Sector.MULTI_PURPOSE_CASH, "cash": Sector.MULTI_PURPOSE_CASH,
    "education aux risques": ActivityType.EORE, "eer": ActivityType.EORE,
    "sensibilisation aux risques": ActivityType.EORE, "mre": ActivityType.EORE,
    "enquete non technique": ActivityType.NTS, "ent": ActivityType.NTS,
    "enquete technique": ActivityType.TS, "et": ActivityType.TS,
    "depollution": ActivityType.CLR, "deminage": ActivityType.CLR, "clearance": ActivityType.CLR,
    "nedex": ActivityType.EOD, "assistance aux victimes": ActivityType.VA,
    "plaidoyer": ActivityType.ADV, "renforcement des capacites": ActivityType.CAP,
    "destruction des stocks": ActivityType.SSD,
}  # fmt: skip


# Aliases compared in the same folded form as what they are compared with.
_FOLDED_ALIASES = {normalise(alias): code for alias, code in ALIASES.items()}


def _resolve(text: str, choices: type[models.TextChoices]) -> str | None:
    folded = normalise(str(text))
    for code in choices.values:
        if folded == normalise(code):
            return code
    for language in ("fr", "en"):
        with translation.override(language):
            for code, label in choices.choices:
                if folded == normalise(str(label)):
                    return code
    alias = _FOLDED_ALIASES.get(folded)
    return alias if alias in choices.values else None


class UnknownCode(ValueError):
    """A code, label or alias the catalogue does not know; says which are valid."""

    def __init__(self, what: str, value: str, choices: type[models.TextChoices]):
        self.value = value
        self.valid = list(choices.values)
        super().__init__(
            _("unknown %(what)s “%(value)s”; valid codes: %(codes)s")
            % {"what": what, "value": value, "codes": ", ".join(self.valid)}
        )


def resolve_sector(text: str, mapping: dict[str, str] | None = None) -> str:
    """The sector code for a code, label or alias; `mapping` adds an import's own names."""
    if mapping and text in mapping:
        text = mapping[text]
    code = _resolve(text, Sector)
    if code is None:
        raise UnknownCode(str(_("sector")), text, Sector)
    return code


def resolve_activity_type(text: str, mapping: dict[str, str] | None = None) -> str:
    if mapping and text in mapping:
        text = mapping[text]
    code = _resolve(text, ActivityType)
    if code is None:
        raise UnknownCode(str(_("activity type")), text, ActivityType)
    return code
