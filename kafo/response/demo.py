"""Demo 5W, shared resources, donors' flows and a national mine action strategy.

Every figure is invented; the organisations, sectors and places are real. The strategy
is named "(démo)" and the exchange rates say "démo" as their source.
"""

import datetime
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from kafo.actors.models import Organisation
from kafo.geo.models import AdminUnit
from kafo.response.models import (
    AccessRestriction,
    Activity,
    ActivityObjective,
    ActivityParticipant,
    Availability,
    Framework,
    Indicator,
    Loan,
    Need,
    Objective,
    Resource,
)  # fmt: skip

# (operator, sector, activity type, title, pillar of the strategy)
WORK = [
    ("HI", "PRO-MIN", "EORE", "Éducation aux risques dans les écoles et marchés", "P1"),
    ("HI", "PRO-MIN", "VA", "Réadaptation et appareillage des victimes", "P3"),
    ("DRC", "PRO-MIN", "EORE", "Sensibilisation des déplacés aux engins explosifs", "P1"),
    ("DRC", "PRO-MIN", "NTS", "Enquête non technique des axes routiers", "P2"),
    ("MAG", "PRO-MIN", "NTS", "Enquête non technique des zones agricoles", "P2"),
    ("MAG", "PRO-MIN", "CLR", "Dépollution des zones confirmées", "P2"),
    ("MAG", "PRO-MIN", "EOD", "Interventions NEDEX sur signalement", "P2"),
    ("UNMAS", "PRO-MIN", "CAP", "Appui à la CNLPAL en gestion de l'information", "P5"),
    ("AMSS", "PRO-MIN", "EORE", "Relais communautaires d'éducation aux risques", "P1"),
    ("CICR", "HEA", "OTHER", "Soins chirurgicaux d'urgence aux blessés", "P3"),
    ("UNICEF", "PRO-CPN", "OTHER", "Protection de l'enfance et éducation aux risques", "P1"),
    ("NRC", "EDU", "OTHER", "Éducation d'urgence pour enfants déplacés", None),
    ("PAM", "FSC", "OTHER", "Assistance alimentaire aux ménages déplacés", None),
    ("OIM", "CCM", "OTHER", "Gestion des sites de déplacés", None),
]
PILLARS = [
    ("P1", "Éducation aux risques des engins explosifs", 400_000),
    ("P2", "Enquête, dépollution et remise à disposition des terres", 60),
    ("P3", "Assistance aux victimes", 3_000),
    ("P4", "Plaidoyer et universalisation", 10),
    ("P5", "Coordination et capacités nationales", 20),
]


def _strategy(authority: Organisation) -> dict[str, Objective]:
    framework = Framework.objects.create(
        owner=authority, kind="mine_action_strategy",
        name="Stratégie nationale de lutte antimines (démo)", start_year=2024 + shift(),
        end_year=2028 + shift(),
    )  # fmt: skip
    objectives = {}
    for code, title, target in PILLARS:
        pillar = Objective.objects.create(
            framework=framework, level="pillar", code=code, title=title
        )
        measure = "people_reached" if code in ("P1", "P3") else "activities_completed"
        Indicator.objects.create(
            objective=pillar, name="Personnes atteintes" if measure == "people_reached"
            else "Activités terminées", measure=measure, target=Decimal(target),
        )  # fmt: skip
        objectives[code] = pillar
    return objectives


@transaction.atomic
def shift() -> int:
    """Years the demo moves forward so that its last year is the current one (it was
    written in 2025): activities, flows, needs and availability stay recent."""
    return max(0, timezone.localdate().year - 2025)


def create_demo_response(seed: int = 2025) -> dict[str, int]:
    """Activities, resources and loans, and the strategy (once); the donors' flows are
    kafo.funding.demo's."""
    if Activity.objects.exists():
        return {"activities": Activity.objects.count()}
    rng = np.random.default_rng(seed)
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    authority = orgs.get("CNLPAL")
    if authority is None:
        return {"activities": 0}
    cercles = list(AdminUnit.objects.active().filter(level=2,
                                            pcode__regex=r"^ML0[4-8]"))  # fmt: skip
    objectives = _strategy(authority)
    activities = []
    for year in (2023 + shift(), 2024 + shift(), 2025 + shift()):
        for acronym, sector, kind, title, pillar in WORK:
            if acronym not in orgs:
                continue
            start = datetime.date(year, int(rng.integers(1, 6)), 1)
            end = start + datetime.timedelta(days=int(rng.integers(120, 300)))
            done = end < timezone.localdate()
            reached = {g: int(rng.integers(50, 900)) for g in ("girls", "boys", "women", "men")}
            activity = Activity.objects.create(
                organisation=orgs[acronym], title=f"{title} {year}", sector=sector,
                activity_type=kind if sector == "PRO-MIN" else "OTHER",
                status="completed" if done else "ongoing",
                planned_start=start, planned_end=end, actual_start=start,
                actual_end=end if done else None,
                budget=Decimal(int(rng.integers(80, 900)) * 1000), currency="USD",
                **{f"targeted_{g}": int(v * 1.2) for g, v in reached.items()},
                **{f"reached_{g}": v for g, v in reached.items()},
                reached_pwd=int(rng.integers(5, 60)), reached_displaced=int(rng.integers(50, 600)),
                source_id=f"demo-{acronym}-{year}-{kind}",
            )  # fmt: skip
            activity.locations.set(rng.choice(cercles, size=int(rng.integers(1, 4)), replace=False))
            ActivityParticipant.objects.create(
                activity=activity, organisation=orgs[acronym], role="4"
            )
            if pillar:
                ActivityObjective.objects.create(activity=activity, objective=objectives[pillar],
                                                 percentage=100)  # fmt: skip
            activities.append(activity)
    _resources(rng, orgs, cercles)
    activities += _own_plans(orgs, cercles)
    _needs(rng, cercles, orgs.get("OCHA") or authority)
    _access(cercles, authority)
    return {"activities": len(activities), "resources": Resource.objects.count(),
            "needs": Need.objects.count()}  # fmt: skip


def _needs(rng, cercles, reporter) -> None:
    """People in need in the centre and north for the demo's last year (demo shares of the
    population):
    mine action, protection and food security, so that the gaps and equity pages show."""
    shares = {"PRO-MIN": (0.02, 0.08), "PRO": (0.05, 0.15), "FSC": (0.10, 0.30)}
    for cercle in cercles:
        population = cercle.population or int(rng.integers(80_000, 400_000))
        for sector, (low, high) in shares.items():
            Need.objects.create(
                admin_unit=cercle, sector=sector, year=2025 + shift(),
                in_need=int(population * rng.uniform(low, high)), population=population,
                source="démo (chiffres approximatifs)", organisation=reporter,
            )  # fmt: skip


def _access(cercles, authority) -> None:
    """Two demo access restrictions in the north-east (invented, labelled demo)."""
    by_code = {c.pcode: c for c in cercles}
    for pcode, level in (("ML0802", "no_access"), ("ML0703", "escort")):
        if pcode in by_code:
            AccessRestriction.objects.create(
                admin_unit=by_code[pcode], level=level, start=datetime.date(2025 + shift(), 1, 1),
                reason="démo (restriction inventée)", source="démo", organisation=authority,
            )  # fmt: skip


def _own_plans(orgs, cercles) -> list[Activity]:
    """Each operator's own plans for the first half of next year (what the joint plan is
    compared with): HI and DRC both planned risk education in the same cercle."""
    plans = [("HI", "EORE", 0), ("DRC", "EORE", 0), ("DRC", "NTS", 1), ("MAG", "CLR", 2)]
    made = []
    year = timezone.localdate().year + 1
    for acronym, kind, place in plans:
        if acronym not in orgs or len(cercles) <= place:
            continue
        activity = Activity.objects.create(
            organisation=orgs[acronym], title=f"{kind} prévu {year} (démo)", sector="PRO-MIN",
            activity_type=kind, status="planned", planned_start=datetime.date(year, 1, 1),
            planned_end=datetime.date(year, 6, 30), source_id=f"demo-{acronym}-{year}-{kind}",
        )  # fmt: skip
        activity.locations.set([cercles[place]])
        made.append(activity)
    return made


def _resources(rng, orgs, cercles) -> None:
    offers = [("MAG", "clearance_team", "Équipe de dépollution", "m²/jour", 600),
              ("MAG", "eod_team", "Équipe NEDEX", "interventions/semaine", 5),
              ("HI", "eore_team", "Équipe d'éducation aux risques", "séances/semaine", 10),
              ("HI", "va_team", "Équipe mobile de réadaptation", "patients/semaine", 25),
              ("DRC", "nts_team", "Équipe d'enquête non technique", "villages/semaine", 6),
              ("MAG", "ts_team", "Équipe d'enquête technique", "zones/mois", 4),
              ("DRC", "eore_team", "Équipe de sensibilisation", "personnes/mois", 2500),
              ("DRC", "vehicle", "Véhicule 4x4", "places", 5),
              ("UNMAS", "im_officer", "Chargé de gestion de l'information", "jours/mois", 8),
              ("AMSS", "training_room", "Salle de formation", "personnes", 30)]  # fmt: skip
    made = []
    for number, (acronym, kind, name, unit, capacity) in enumerate(offers, start=1):
        if acronym not in orgs:
            continue
        resource = Resource.objects.create(
            organisation=orgs[acronym], kind=kind, name=f"{name} {number}",
            base=cercles[int(rng.integers(0, len(cercles)))], capacity=capacity,
            capacity_unit=unit, offered=True, accreditation="CNLPAL (démo)",
            sharing_conditions="Carburant et per diem à la charge de l'emprunteur.",
        )  # fmt: skip
        Availability.objects.create(resource=resource, start=datetime.date(2025 + shift(), 1, 1),
                                    end=datetime.date(2027 + shift(), 12, 31))  # fmt: skip
        made.append(resource)
    borrowers = [o for a, o in orgs.items() if a in ("AMSS", "DRC", "HI")]
    for resource, borrower in zip(made[:3], borrowers[::-1], strict=False):
        if borrower != resource.organisation:
            Loan.objects.create(resource=resource, borrower=borrower, status="accepted",
                                start=datetime.date(2025 + shift(), 3, 1),
                                end=datetime.date(2025 + shift(), 3, 20),
                                purpose="Renfort ponctuel (démo)")  # fmt: skip
