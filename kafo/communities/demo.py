"""Demo community work: a few focal points in the centre and north with their consents,
engagements, approved key messages, alerts (one waiting, one closed) and a campaign ready
to send. Every name is invented and marked demo."""

import datetime

from django.utils import timezone

from kafo.actors.models import Organisation
from kafo.communities.models import (
    Alert,
    Campaign,
    Consent,
    Engagement,
    FocalPoint,
    KeyMessage,
)  # fmt: skip
from kafo.geo.models import AdminUnit

# (organisation, role, cercle p-code, languages, consent scope, withdrawn)
LEADERS = [
    ("HI", "imam", "ML0501", ["ff", "fr"], ["contact", "sms"], False),
    ("HI", "women_leader", "ML0502", ["ff", "bm"], ["contact"], False),
    ("DRC", "village_chief", "ML0601", ["ses"], ["contact", "sms", "share"], False),
    ("DRC", "radio_host", "ML0701", ["ses", "tmh"], ["radio"], False),
    ("HI", "teacher", "ML0503", ["bm"], ["sms"], True),
]  # fmt: skip
MESSAGES = [("ne-pas-toucher", "fr", "Ne touchez pas aux objets suspects. Éloignez-vous et "
             "prévenez le chef de village."),
            ("ne-pas-toucher", "ff", "Wota meemu kuuje ɗe a anndaa. Woɗɗito, haal e jom wuro."),
            ("ne-pas-toucher", "bm", "Aw kana maga fɛn sigininnw na. Aw ka bɔ yen, ka dugutigi "
             "kunnafoni.")]  # fmt: skip


def create_demo_communities() -> dict[str, int]:
    """The demo focal points and their work (once)."""
    if FocalPoint.objects.exists():
        return {"focal_points": FocalPoint.objects.count()}
    orgs = {o.acronym: o for o in Organisation.objects.filter(acronym__in=["HI", "DRC",
                                                                           "CNLPAL"])}  # fmt: skip
    units = {u.pcode: u for u in AdminUnit.objects.active()}
    today = timezone.localdate()
    made = []
    for number, (acronym, role, pcode, languages, scope, withdrawn) in enumerate(LEADERS, 1):
        if acronym not in orgs or pcode not in units:
            continue
        point = FocalPoint.objects.create(
            name=f"Point focal {number} (démo)", role=role, admin_unit=units[pcode],
            languages=languages, organisation=orgs[acronym], channels=["phone"],
            phone=f"+2237600000{number}", affiliation="démo", shared=acronym == "DRC",
        )  # fmt: skip
        Consent.objects.create(
            focal_point=point, given_on=today - datetime.timedelta(days=90), scope=scope,
            withdrawn_on=today - datetime.timedelta(days=10) if withdrawn else None,
            note="démo",
        )  # fmt: skip
        Engagement.objects.create(focal_point=point, kind="meeting", admin_unit=units[pcode],
                                  date=today - datetime.timedelta(days=30),
                                  organisation=orgs[acronym], notes="Réunion (démo)")  # fmt: skip
        made.append(point)
    approver_time = timezone.now()
    for key, language, text in MESSAGES:
        KeyMessage.objects.create(key=key, language=language, title="Ne pas toucher (démo)",
                                  text=text, approved_at=approver_time)  # fmt: skip
    if made:
        now = timezone.now()
        Alert.objects.create(
            focal_point=made[0], organisation=made[0].organisation, kind="object",
            channel="phone", reported_at=now - datetime.timedelta(days=4),
            admin_unit=made[0].admin_unit, description="Obus signalé près d'un puits (démo)",
        )  # fmt: skip
        Alert.objects.create(
            focal_point=made[-1], organisation=made[-1].organisation, kind="area",
            channel="in_person", reported_at=now - datetime.timedelta(days=20),
            admin_unit=made[-1].admin_unit, description="Champ abandonné suspect (démo)",
            status="nts", outcome_at=now - datetime.timedelta(days=17),
            outcome_note="Enquête non technique planifiée (démo)",
        )  # fmt: skip
        campaign = Campaign.objects.create(
            name="Saison des pluies (démo)", organisation=made[0].organisation,
            message="ne-pas-toucher", channel="focal_points",
        )  # fmt: skip
        campaign.admin_units.set({p.admin_unit for p in made})
    return {"focal_points": len(made)}
