"""Pledged, committed, disbursed and spent, per donor and per pledge, in USD."""

from collections import defaultdict
from decimal import Decimal

from kafo.funding.models import COMMITMENTS, DISBURSED, PLEDGES, TransactionType

STAGES = {
    **dict.fromkeys(PLEDGES, "pledged"),
    **dict.fromkeys(COMMITMENTS, "committed"),
    **dict.fromkeys(DISBURSED, "disbursed"),
    TransactionType.EXPENDITURE: "spent",
}


def per_donor(transactions) -> list[dict]:
    """One row per provider: USD pledged, committed, disbursed, spent."""
    rows: dict[int, dict] = {}
    for t in transactions.select_related("provider"):
        row = rows.setdefault(
            t.provider_id,
            {
                "provider": t.provider,
                **dict.fromkeys(("pledged", "committed", "disbursed", "spent"), Decimal(0)),
            },
        )
        stage = STAGES.get(TransactionType(t.type))
        if stage:
            row[stage] += t.amount_usd
    return sorted(rows.values(), key=lambda row: -row["pledged"] - row["committed"])


def per_pledge(transactions) -> list[dict]:
    """Each pledge against the commitments and disbursements made against it."""
    against: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for t in transactions.exclude(pledge=None):
        stage = STAGES.get(TransactionType(t.type))
        if stage:
            against[t.pledge_id][stage] += t.amount_usd
    rows = []
    for pledge in transactions.filter(type__in=PLEDGES).select_related("provider", "receiver"):
        done = against.get(pledge.pk, {})
        committed, disbursed = done.get("committed", Decimal(0)), done.get("disbursed", Decimal(0))
        rows.append({
            "pledge": pledge, "committed": committed, "disbursed": disbursed,
            "share_disbursed": (disbursed / pledge.amount_usd * 100) if pledge.amount_usd else None,
        })  # fmt: skip
    return rows
