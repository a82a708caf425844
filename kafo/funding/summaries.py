"""Pledged, committed, disbursed and spent, per donor and per pledge, in USD: what goes to
the country (a regional activity's flows count for the country's share).

Amounts whose conversion is pending (no exchange rate yet) are not in the USD totals:
each row counts them instead, so a page can say what its totals leave out."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from kafo.funding.models import COMMITMENTS, DISBURSED, PLEDGES, TransactionType

STAGES = {
    **dict.fromkeys(PLEDGES, "pledged"),
    **dict.fromkeys(COMMITMENTS, "committed"),
    **dict.fromkeys(DISBURSED, "disbursed"),
    TransactionType.EXPENDITURE: "spent",
}


def per_donor(transactions) -> list[dict]:
    """One row per provider: USD pledged, committed, disbursed, spent, and how many of its
    transactions wait for a rate (left out of the totals)."""
    rows: dict[int, dict] = {}
    for t in transactions.select_related("provider"):
        row = rows.setdefault(
            t.provider_id,
            {
                "provider": t.provider,
                **dict.fromkeys(("pledged", "committed", "disbursed", "spent"), Decimal(0)),
                "pending": 0,
            },
        )
        stage = STAGES.get(TransactionType(t.type))
        if stage is None:
            continue
        if t.amount_usd is None:
            row["pending"] += 1
        else:
            row[stage] += t.country_amount_usd
    return sorted(rows.values(), key=lambda row: -row["pledged"] - row["committed"])


def per_pledge(transactions) -> list[dict]:
    """Each pledge against the commitments and disbursements made against it (in USD;
    `pending` counts those waiting for a rate)."""
    against: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    pending: dict[int, int] = defaultdict(int)
    for t in transactions.exclude(pledge=None):
        stage = STAGES.get(TransactionType(t.type))
        if stage is None:
            continue
        if t.amount_usd is None:
            pending[t.pledge_id] += 1
        else:
            against[t.pledge_id][stage] += t.country_amount_usd
    rows = []
    for pledge in transactions.filter(type__in=PLEDGES).select_related("provider", "receiver"):
        done = against.get(pledge.pk, {})
        committed, disbursed = done.get("committed", Decimal(0)), done.get("disbursed", Decimal(0))
        rows.append({
            "pledge": pledge, "committed": committed, "disbursed": disbursed,
            "share_disbursed": (disbursed / pledge.amount_usd * 100) if pledge.amount_usd else None,
            "pending": pending.get(pledge.pk, 0) + (pledge.amount_usd is None),
        })  # fmt: skip
    return rows


def pending_count(transactions) -> int:
    """How many of these transactions wait for an exchange rate."""
    return transactions.filter(Q(rate_to_usd=None) | Q(rate_to_xof=None)).count()


def per_year(transactions) -> tuple[dict[int, dict[str, Decimal]], int]:
    """USD pledged, committed and disbursed per year (the flow's date), summed by the
    database; and how many flows wait for a rate (left out)."""
    from django.db.models import DecimalField, ExpressionWrapper, F, Sum
    from django.db.models.functions import ExtractYear

    usd = ExpressionWrapper(F("amount") * F("country_share") * F("rate_to_usd"),
                            output_field=DecimalField(max_digits=30, decimal_places=8))  # fmt: skip
    converted = transactions.filter(rate_to_usd__isnull=False)
    rows = (converted.annotate(year=ExtractYear("date")).values("year", "type")
            .annotate(total=Sum(usd)).order_by())  # fmt: skip
    years: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: dict.fromkeys(("pledged", "committed", "disbursed"), Decimal(0))
    )
    for row in rows:
        stage = STAGES.get(TransactionType(row["type"]))
        if stage in ("pledged", "committed", "disbursed"):
            years[row["year"]][stage] += row["total"] or Decimal(0)
    return dict(years), transactions.filter(rate_to_usd__isnull=True).count()
