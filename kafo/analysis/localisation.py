"""How directly funding reaches whom: each flow's intermediary depth along the recorded
provider → receiver chain (IATI's provider-org and receiver-org).

Definitions ([definitions](../../docs/definitions.md), "Localisation"):
- An organisation's funding is followed through organisations (money is fungible inside
  one): the organisations that fund it are the providers of the flows it receives.
- An **origin** is a provider that receives no recorded flow and may fund from its own
  means (a government, a multilateral, a foundation, a private company, as the caller
  says). A provider that receives nothing and may not (an NGO, a UN agency) is a
  **missing link**: where its money came from is not recorded.
- An organisation's distance is the fewest flows from an origin to it (0 for an origin).
  A flow's **intermediary depth** is its provider's distance: 0 when an origin pays the
  receiver directly, 1 through one intermediary, 2 or more beyond.
- A flow whose provider no origin reaches has no depth: its chain is unknown, because of
  a missing link upstream, or because it turns in a cycle with no origin.
- Ties (two origins at the same distance) go to the origin and path first in name order,
  so that the answer does not depend on the order of the rows.
"""

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MISSING = "missing"
CYCLE = "cycle"


@dataclass(frozen=True)
class Flow:
    id: int
    provider: str
    receiver: str


@dataclass(frozen=True)
class Chain:
    """A flow's chain: its depth and origin, or why it is unknown (`MISSING`, `CYCLE`)."""

    depth: int | None
    origin: str | None
    path: tuple[str, ...]  # origin, intermediaries..., the provider
    unknown: str = ""


def depth_class(depth: int | None) -> str:
    """ "0", "1", "2+" or "unknown"."""
    if depth is None:
        return "unknown"
    return str(depth) if depth < 2 else "2+"


def chains(flows: Iterable[Flow], may_originate: Callable[[str], bool]) -> dict[int, Chain]:
    """Each flow's chain, by flow id."""
    flows = list(flows)
    funders: dict[str, set[str]] = {}
    funded: dict[str, set[str]] = {}
    for flow in flows:
        if flow.provider == flow.receiver:  # an organisation moving money within itself
            continue
        funders.setdefault(flow.receiver, set()).add(flow.provider)
        funded.setdefault(flow.provider, set()).add(flow.receiver)
    providers = {flow.provider for flow in flows}
    unfunded = sorted(p for p in providers if not funders.get(p))
    origins = [p for p in unfunded if may_originate(p)]
    missing = {p for p in unfunded if not may_originate(p)}
    distance = {origin: 0 for origin in origins}
    before: dict[str, str] = {}
    queue = deque(origins)
    while queue:  # breadth first, in name order: the shortest path, ties by name
        here = queue.popleft()
        for after in sorted(funded.get(here, ())):
            if after not in distance:
                distance[after], before[after] = distance[here] + 1, here
                queue.append(after)
    found = {}
    for flow in flows:
        provider = flow.provider
        if provider in distance:
            path = [provider]
            while path[-1] in before:
                path.append(before[path[-1]])
            found[flow.id] = Chain(distance[provider], path[-1], tuple(reversed(path)))
        else:
            reason = MISSING if _upstream(provider, funders) & missing or provider in missing \
                else CYCLE  # fmt: skip
            found[flow.id] = Chain(None, None, (), reason)
    return found


def _upstream(organisation: str, funders: dict[str, set[str]]) -> set[str]:
    """Every organisation whose money may reach this one."""
    seen: set[str] = set()
    stack = [organisation]
    while stack:
        for funder in funders.get(stack.pop(), ()):
            if funder not in seen:
                seen.add(funder)
                stack.append(funder)
    return seen
