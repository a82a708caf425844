"""The demo's funding: approximate exchange rates and the flows of real donors
(pledges, commitments and disbursements) to the demo's mine action activities, tagged to
the strategy's pillars of their activity. Invented, and marked so."""

import datetime
from decimal import Decimal

import numpy as np
from django.db import transaction

from kafo.actors.models import Organisation
from kafo.currencies.models import ExchangeRate
from kafo.currencies.rates import rates_for
from kafo.funding.models import Transaction, TransactionObjective
from kafo.response.demo import shift
from kafo.response.models import Activity, ActivityObjective
from kafo.vocabulary import MINE_ACTION

RATES = {  # invented yearly values, labelled as demo
    "EUR": {2023: "1.08", 2024: "1.08", 2025: "1.10"},
    "GBP": {2023: "1.24", 2024: "1.27", 2025: "1.30"},
}
DONORS = [("ECHO", "EUR"), ("AFD", "EUR"), ("FCDO", "GBP"), ("PM/WRA", "USD"), ("GFFO", "EUR")]


@transaction.atomic
def create_demo_funding(seed: int = 2026) -> dict[str, int]:
    """The rates and the donors' flows (once), after the 5W's demo."""
    if Transaction.objects.exists():
        return {"transactions": Transaction.objects.count()}
    for currency, years in RATES.items():
        for year, value in years.items():
            ExchangeRate.objects.get_or_create(
                currency=currency, date=datetime.date(year + shift(), 1, 1),
                defaults={"to_usd": Decimal(value), "source": "démo (taux approximatif)"},
            )  # fmt: skip
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    activities = list(Activity.objects.filter(source_id__startswith="demo-", sector=MINE_ACTION)
                      .select_related("organisation").order_by("pk"))  # fmt: skip
    if activities:
        _flows(np.random.default_rng(seed), orgs, activities)
    _chains(orgs)
    return {"transactions": Transaction.objects.count()}


# Money passed on to national organisations, and donors that publish no IATI data (entered
# by hand with their source document, as in the OIC Contact Group's communiqués). Invented.
CHAINS = [  # (provider, receiver, USD, source document or "" for IATI)
    ("ECHO", "UNICEF", 400_000, ""), ("UNICEF", "AMSS", 120_000, ""),
    ("BID", "AMSS", 250_000, "Communiqué du Groupe de contact de l'OCI (démo)"),
    ("FSI", "UNICEF", 150_000, "Communiqué du Groupe de contact de l'OCI (démo)"),
    ("HI", "AMSS", 30_000, ""),
]  # fmt: skip


def _chains(orgs) -> None:
    from kafo.actors.models import OrganisationType

    for acronym, name in (("BID", "Banque islamique de développement"),
                          ("FSI", "Fonds de solidarité islamique")):  # fmt: skip
        if acronym not in orgs:
            orgs[acronym] = Organisation.objects.create(name=name, acronym=acronym,
                                                        type=OrganisationType.DONOR)  # fmt: skip
    year = 2025 + shift()
    for number, (provider, receiver, usd, source) in enumerate(CHAINS, start=1):
        if provider not in orgs or receiver not in orgs:
            continue
        Transaction.objects.create(
            type="3", provider=orgs[provider], receiver=orgs[receiver], currency="USD",
            amount=Decimal(usd), date=datetime.date(year, 6, number), rate_to_usd=Decimal(1),
            humanitarian=True, source_document=source,
            source_id="" if source else f"iati:demo-chain-{number}",
            description="Flux de démonstration",
        )  # fmt: skip


def _flows(rng, orgs, activities) -> None:
    mine_action = [a for a in activities if a.sector == "PRO-MIN"]
    for acronym, currency in DONORS:
        if acronym not in orgs:
            continue
        donor = orgs[acronym]
        for year in (2023 + shift(), 2024 + shift(), 2025 + shift()):
            receiver_activity = mine_action[int(rng.integers(0, len(mine_action)))]
            receiver = receiver_activity.organisation
            amount = Decimal(int(rng.integers(300, 2500)) * 1000)
            rates = rates_for(currency, datetime.date(year, 2, 1))
            common = {"provider": donor, "receiver": receiver, "currency": currency,
                      "activity": receiver_activity, "rate_to_usd": rates.to_usd,
                      "rate_to_xof": rates.to_xof, "rate_date": rates.date,
                      "rate_source": rates.source, "humanitarian": acronym == "ECHO",
                      "source_document": "Démonstration (flux inventé)"}  # fmt: skip
            pledge = Transaction.objects.create(type="12", date=datetime.date(year, 2, 1),
                                                amount=amount, **common)  # fmt: skip
            committed = Transaction.objects.create(type="2", date=datetime.date(year, 3, 1),
                                                   amount=amount * Decimal("0.9"), pledge=pledge,
                                                   **common)  # fmt: skip
            paid = Decimal(rng.uniform(0.4, 0.9)).quantize(Decimal("0.01"))
            Transaction.objects.create(type="3", date=datetime.date(year, 5, 1),
                                       amount=(amount * paid).quantize(Decimal("1")),
                                       pledge=pledge, **common)  # fmt: skip
            share = ActivityObjective.objects.filter(activity=receiver_activity).first()
            for made in (pledge, committed) if share else ():
                TransactionObjective.objects.create(
                    transaction=made, objective=share.objective, percentage=100
                )
