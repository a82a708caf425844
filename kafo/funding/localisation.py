"""The localisation of funding: of the money received in a year, how much reached national
and local actors (the Grand Bargain's categories), directly, through one intermediary or
through more, by origin donor, pillar and year, against the 25 % "as directly as
possible" (direct and through one intermediary, as the Grand Bargain counts pooled funds).

Each flow's depth comes from the chains of all recorded flows (kafo.analysis.localisation).
The money counted is what a flow brings to the country, in USD at its own date's rate;
flows waiting for a rate are counted apart. A flow from IATI and one entered by hand (with
its source document) are told apart."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from kafo.actors.models import Organisation, OrganisationType
from kafo.analysis.localisation import CYCLE, MISSING, Chain, Flow, chains, depth_class
from kafo.funding.models import Transaction, TransactionType

# Money that arrives: disbursements and expenditures (IATI types 3 and 4).
RECEIVED = (TransactionType.DISBURSEMENT, TransactionType.EXPENDITURE)
# Organisations that may fund from their own means (the origins of chains).
MAY_ORIGINATE = {OrganisationType.DONOR, OrganisationType.GOVERNMENT,
                 OrganisationType.PRIVATE_SECTOR, OrganisationType.NATIONAL_AUTHORITY}  # fmt: skip
TARGET = Decimal("0.25")
DEPTHS = ("0", "1", "2+", "unknown")


@dataclass
class Totals:
    """USD received, in all and by national and local actors by depth."""

    total: Decimal = Decimal(0)
    local: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(DEPTHS, Decimal(0)))
    unknown_receiver: Decimal = Decimal(0)

    def add(self, usd: Decimal, local: bool | None, depth: str) -> None:
        self.total += usd
        if local is None:
            self.unknown_receiver += usd
        elif local:
            self.local[depth] += usd

    @property
    def local_total(self) -> Decimal:
        return sum(self.local.values(), Decimal(0))

    @property
    def as_directly_as_possible(self) -> Decimal:
        return self.local["0"] + self.local["1"]

    def share(self, amount: Decimal) -> float | None:
        return float(amount / self.total) if self.total else None

    @property
    def meets_target(self) -> bool | None:
        if not self.total:
            return None
        return self.as_directly_as_possible / self.total >= TARGET


def flow_chains() -> dict[int, Chain]:
    """Every recorded flow's chain (all types: a commitment links too), by transaction id."""
    organisations = {pk: (name, kind) for pk, name, kind
                     in Organisation.objects.values_list("pk", "name", "type")}  # fmt: skip
    # Keys sort by name (the engine's ties go to the first), and end with the id.
    key = {pk: f"{name}#{pk}" for pk, (name, _kind) in organisations.items()}
    flows = [Flow(pk, key[provider], key[receiver])
             for pk, provider, receiver in Transaction.objects.exclude(provider=None)
             .exclude(receiver=None).values_list("pk", "provider_id", "receiver_id")]  # fmt: skip
    return chains(flows, lambda k: organisations[_id(k)][1] in MAY_ORIGINATE)


def _id(key: str) -> int:
    return int(key.rsplit("#", 1)[1])


def _pillar(flow: Transaction) -> str:
    activity = flow.activity
    if activity is None:
        return ""
    return activity.activity_type or activity.sector or ""


def localisation(year: int | None = None) -> dict:
    """The localisation figures: in all, by year, origin donor and pillar; the flows with
    an unknown chain; how many are waiting for a rate; IATI and hand-entered money."""
    found = flow_chains()
    rows = Transaction.objects.filter(type__in=RECEIVED).exclude(receiver=None) \
        .select_related("receiver", "provider", "activity")  # fmt: skip
    if year is not None:
        rows = rows.filter(date__year=year)
    names = dict(Organisation.objects.values_list("pk", "name"))
    overall = Totals()
    by_year: dict[int, Totals] = defaultdict(Totals)
    by_donor: dict[str, Totals] = defaultdict(Totals)
    by_pillar: dict[str, Totals] = defaultdict(Totals)
    unknown_chains, pending = [], 0
    sources = {"iati": Decimal(0), "by_hand": Decimal(0)}
    for flow in rows:
        usd = flow.country_amount_usd
        if usd is None:
            pending += 1
            continue
        chain = found.get(flow.pk) or Chain(None, None, (), MISSING)
        depth = depth_class(chain.depth)
        receiver = flow.receiver
        local = receiver.is_national_or_local if receiver.localisation_category else None
        donor = names.get(_id(chain.origin)) if chain.origin else ""
        for totals in (overall, by_year[flow.date.year], by_donor[donor or ""],
                       by_pillar[_pillar(flow)]):  # fmt: skip
            totals.add(usd, local, depth)
        sources["iati" if flow.from_iati else "by_hand"] += usd
        if chain.depth is None:
            unknown_chains.append((flow, chain.unknown))
    return {
        "overall": overall, "target": TARGET,
        "by_year": sorted(by_year.items()),
        "by_donor": sorted(by_donor.items(), key=lambda item: (-item[1].total, item[0])),
        "by_pillar": sorted(by_pillar.items(), key=lambda item: (-item[1].total, item[0])),
        "unknown_chains": unknown_chains, "pending": pending, "sources": sources,
        "reasons": {MISSING: MISSING, CYCLE: CYCLE},
    }  # fmt: skip
