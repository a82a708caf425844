"""Demo coordination: the national committee, the Mine Action Area of Responsibility, a
working group on risk education and a regional one in Mopti, with their meetings of the
last months, attendance, decisions and action points (some done, some overdue). Every
person's name is invented; the bodies are as a coordinator would set them up."""

import datetime

from django.utils import timezone

from kafo.actors.models import Organisation
from kafo.geo.models import AdminUnit
from kafo.meetings.models import (
    ActionPoint,
    Attendance,
    CoordinationBody,
    Decision,
    Meeting,
    Referral,
)

# (name, acronym, kind, level, region p-code, lead, co-leads, parent acronym)
BODIES = [
    ("Comité national de coordination de la lutte antimines", "CNC-LAM", "national_committee",
     "national", "", "CNLPAL", ["UNMAS"], ""),
    ("Domaine de responsabilité Lutte antimines (Cluster Protection)", "DdR-LAM", "aor",
     "national", "", "UNMAS", ["HI"], "CNC-LAM"),
    ("Groupe de travail Éducation aux risques des engins explosifs", "GT-EREE",
     "working_group", "national", "", "HI", ["AMSS"], "DdR-LAM"),
    ("Groupe de travail régional de Mopti", "GTR-Mopti", "working_group", "regional", "ML05",
     "DRC", ["CRM"], "DdR-LAM"),
    ("Coordination intercluster", "ICCG", "inter_cluster", "national", "", "OCHA", [], ""),
]  # fmt: skip
# Invented names, each with an organisation and a sex.
PEOPLE = [("Aminata Coulibaly", "CNLPAL", "f"), ("Oumar Touré", "UNMAS", "m"),
          ("Mariam Sangaré", "HI", "f"), ("Boubacar Maïga", "DRC", "m"),
          ("Fatoumata Dicko", "AMSS", "f"), ("Ibrahim Cissé", "CRM", "m"),
          ("Awa Keïta", "UNICEF", "f"), ("Seydou Traoré", "Génie militaire", "m"),
          ("Kadiatou Diallo", "OCHA", "f"), ("Hamadoun Tamboura", "MAG", "m")]  # fmt: skip


def create_demo_meetings() -> dict[str, int]:
    """The demo bodies and their meetings (once)."""
    if CoordinationBody.objects.exists():
        return {"bodies": CoordinationBody.objects.count()}
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    made: dict[str, CoordinationBody] = {}
    for name, acronym, kind, level, region, lead, co_leads, parent in BODIES:
        body = CoordinationBody.objects.create(
            name=name, acronym=acronym, kind=kind, level=level, lead=orgs.get(lead),
            admin_unit=AdminUnit.objects.active().filter(pcode=region).first() if region else None,
            parent=made.get(parent),
        )  # fmt: skip
        body.co_leads.set([orgs[a] for a in co_leads if a in orgs])
        made[acronym] = body
    today = timezone.localdate()
    for months_ago in (3, 2, 1):
        day = (today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(day=12)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        for acronym in ("DdR-LAM", "GT-EREE", "GTR-Mopti"):
            body = made[acronym]
            meeting = Meeting.objects.create(
                body=body, title=f"Réunion mensuelle — {day:%m/%Y}", starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                place="Mopti" if body.level == "regional" else "Bamako", remote=True,
                agenda="1. Situation et incidents du mois\n2. Lacunes et priorités\n"
                       "3. Suivi des points d'action",
            )  # fmt: skip
            for i, (person, org, sex) in enumerate(PEOPLE[months_ago : months_ago + 7]):
                Attendance.objects.create(meeting=meeting, name=person, organisation=orgs.get(org),
                                          organisation_name=org, sex=sex, remote=i % 3 == 0,
                                          role="chair" if i == 0 else "participant")  # fmt: skip
            decision = Decision.objects.create(
                meeting=meeting, subject_id="analysis:gaps",
                text="Couvrir en priorité les communes sans éducation aux risques signalées "
                     "par l'analyse des lacunes.",
            )  # fmt: skip
            owner = body.co_leads.first() or body.lead
            if owner is None:
                continue
            deadline = day + datetime.timedelta(days=21)
            done = months_ago == 3 or (months_ago == 2 and acronym != "GTR-Mopti")
            ActionPoint.objects.create(
                meeting=meeting, decision=decision, owner=owner, owner_person=PEOPLE[2][0],
                text="Partager la liste des communes couvertes et le calendrier des séances.",
                deadline=deadline, status="done" if done else "open",
                done_on=deadline + datetime.timedelta(days=4 if acronym == "GT-EREE" else -2)
                if done else None,
                evidence="Tableau partagé sur Kafo (5W)" if done else "",
            )  # fmt: skip
    # Referrals from mine action to other sectors (no real case: references invented).
    for source, target, by, to, days, status in [
        ("victim_assistance", "health", "HI", "DNDS", 40, "closed"),
        ("victim_assistance", "food_security", "HI", "PAM", 25, "accepted"),
        ("risk_education", "education", "AMSS", "UNICEF", 12, "sent"),
        ("community_liaison", "cccm", "DRC", "OIM", 8, "declined"),
    ]:  # fmt: skip
        if by in orgs:
            Referral.objects.create(
                source=source, target=target, organisation=orgs[by], receiver=orgs.get(to),
                referred_on=today - datetime.timedelta(days=days), status=status,
                case_reference=f"DEMO-{source[:2].upper()}-{days:03d}",
            )  # fmt: skip
    return {"bodies": len(made)}
