"""Demo commitments: the pillars of the 2015 agreement with a few provisions from the
public record, the revised roadmap of July 2019, a Security Council resolution, the
Ottawa Convention's reporting and clearance obligations, and a pledge conference. Every
status and score here is invented and marked as demo."""

import datetime

from django.utils import timezone

from kafo.actors.models import Organisation
from kafo.commitments.models import Assessment, Commitment, CommitmentFramework, Pillar
from kafo.funding.models import Transaction

D = datetime.date
PILLARS = [("I", "Questions politiques et institutionnelles"), ("II", "Défense et sécurité"),
           ("III", "Développement socio-économique et culturel"),
           ("IV", "Réconciliation, justice et questions humanitaires")]  # fmt: skip
# (article, pillar, text summarised from the public agreement, demo scores by year)
AGREEMENT = [
    ("6", "I", "Mise en place d'assemblées régionales élues au suffrage universel direct, "
               "dotées de pouvoirs étendus.", {2016: 1, 2018: 2}),
    ("18", "II", "Cantonnement des combattants des mouvements signataires sur des sites "
                 "identifiés.", {2016: 0, 2018: 1, 2020: 2}),
    ("19", "II", "Désarmement, démobilisation et réinsertion (DDR) des combattants "
                 "cantonnés.", {2018: 1}),
    ("33", "III", "Zone de développement des régions du Nord et stratégie spécifique de "
                  "développement.", {2017: 1}),
    ("46", "IV", "Commission d'enquête internationale sur les crimes de guerre et contre "
                 "l'humanité.", {2017: 1, 2019: 2}),
]  # fmt: skip


def create_demo_commitments() -> dict[str, int]:
    """The demo frameworks (once)."""
    if CommitmentFramework.objects.exists():
        return {"frameworks": CommitmentFramework.objects.count()}
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    authority = orgs.get("CNLPAL")
    if authority is None:
        return {"frameworks": 0}
    now = timezone.now()
    agreement = CommitmentFramework.objects.create(
        name="Accord pour la paix et la réconciliation au Mali (2015)", kind="agreement",
        date=D(2015, 5, 15), status="terminated", status_date=D(2024, 1, 25),
        status_note="Fin de l'accord annoncée par les autorités de transition (janvier 2024)",
        demo=True,
    )  # fmt: skip
    pillars = {code: Pillar.objects.create(framework=agreement, code=code, name=name)
               for code, name in PILLARS}  # fmt: skip
    for order, (article, pillar, text, scores) in enumerate(AGREEMENT, start=1):
        commitment = Commitment.objects.create(
            framework=agreement, reference=f"Art. {article}", order=order, text_fr=text,
            pillar=pillars[pillar],
        )  # fmt: skip
        for year, score in scores.items():
            Assessment.objects.create(
                commitment=commitment, date=D(year, 12, 31), score=score, assessor=authority,
                source="démo (note inventée)", evidence="Note de démonstration.",
                validated_at=now,
            )  # fmt: skip
    roadmap = CommitmentFramework.objects.create(
        name="Feuille de route révisée (12 juillet 2019)", kind="roadmap", date=D(2019, 7, 12),
        status="superseded", demo=True,
    )  # fmt: skip
    for number, text in enumerate(["Adoption des textes sur la réorganisation territoriale.",
                                   "Opérationnalisation de l'armée reconstituée au Nord.",
                                   "Lancement des projets du fonds de développement durable."],
                                  start=1):  # fmt: skip
        Commitment.objects.create(framework=roadmap, reference=str(number), order=number,
                                  text_fr=text, deadline=D(2019, 12, 31))  # fmt: skip
    resolution = CommitmentFramework.objects.create(
        name="Conseil de sécurité, résolution 2480 (2019)", kind="resolution",
        date=D(2019, 6, 28), status="superseded", demo=True,
        status_note="Renouvelle le mandat de la MINUSMA jusqu'au 30 juin 2020",
    )  # fmt: skip
    Commitment.objects.create(
        framework=resolution,
        reference="1",
        order=1,
        text_fr=("Prorogation du mandat de la MINUSMA jusqu'au 30 juin 2020."),
        deadline=D(2020, 6, 30),
    )
    ottawa = CommitmentFramework.objects.create(
        name="Convention d'Ottawa : obligations du Mali", kind="treaty", date=D(1997, 12, 3),
        demo=True, status_note="Échéances de démonstration",
    )  # fmt: skip
    today = timezone.localdate()
    next_report = D(today.year + (1 if (today.month, today.day) > (4, 30) else 0), 4, 30)
    article7 = Commitment.objects.create(
        framework=ottawa, reference="Art. 7", order=1, deadline=next_report,
        text_fr="Rapport annuel de transparence, dû chaque 30 avril.",
    )  # fmt: skip
    article5 = Commitment.objects.create(
        framework=ottawa, reference="Art. 5", order=2, deadline=D(today.year + 2, 12, 31),
        text_fr="Détruire les mines antipersonnel des zones minées sous sa juridiction "
                "(échéance fictive de démonstration).",
    )  # fmt: skip
    for commitment in (article7, article5):
        commitment.responsible.set([authority])
    conference = CommitmentFramework.objects.create(
        name="Conférence des donateurs pour le centre et le nord (démo)",
        kind="pledge_conference", date=D(2025, 2, 1), demo=True,
    )  # fmt: skip
    conference.pledges.set(Transaction.objects.filter(type__in=["12", "13"])[:3])
    return {"frameworks": CommitmentFramework.objects.count()}
