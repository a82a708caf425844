"""Alignment with a national strategy (one framework of objectives).

- Activities aligned: the mean over activities of the share (%) of each tagged to the
  framework's objectives (an activity tagged 60 % to it counts 0.6).
- Funding aligned: the same, weighted by the flows' USD amounts; separately for
  commitments (IATI types 2, 11) and disbursements (1, 3).
- On-budget share of the funding.
- By pillar (a top objective): funding tagged to it or to objectives under it, against
  the budget targets (USD) set on the pillar and under it.
- The unaligned funding: flows with no share in the framework, largest first.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from kafo.analysis.engine import one, rounded
from kafo.collector import collector_paused

FLOWS = {"committed": ("2", "11"), "disbursed": ("1", "3")}


@dataclass(frozen=True)
class AlignmentOptions:
    framework_id: int
    start: datetime.date | None = None
    end: datetime.date | None = None


@collector_paused()
def alignment(con: duckdb.DuckDBPyConnection, options: AlignmentOptions) -> dict[str, Any]:
    """`{"framework", "activities": {...}, "funding": {...}, "pillars": [...],
    "unaligned": [...]}`."""
    params = {"framework": options.framework_id}
    (name,) = one(
        con, "SELECT any_value(framework) FROM objectives WHERE framework_id = $framework", params
    )
    if name is None:
        raise ValueError(f"no objectives in framework {options.framework_id}")
    # Each objective with its pillar (the top of its chain).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE pillar_of AS
        WITH RECURSIVE chain(id, pillar) AS (
            SELECT id, id FROM objectives WHERE framework_id = $framework AND parent_id IS NULL
            UNION ALL
            SELECT o.id, c.pillar FROM objectives o JOIN chain c ON o.parent_id = c.id
        )
        SELECT * FROM chain
        """,
        params,
    )
    dates = {"start": options.start, "end": options.end}
    activity = one(
        con,
        """
        WITH shares AS (
            SELECT ao.activity_id, sum(ao.percentage) / 100 AS share
            FROM activity_objectives ao JOIN pillar_of p ON p.id = ao.objective_id
            GROUP BY ao.activity_id
        ),
        running AS (
            SELECT id FROM activities
            WHERE ($end IS NULL OR start IS NULL OR start <= $end::DATE)
              AND ($start IS NULL OR "end" IS NULL OR "end" >= $start::DATE)
        )
        SELECT count(*), coalesce(sum(least(coalesce(s.share, 0), 1)), 0)
        FROM running r LEFT JOIN shares s ON s.activity_id = r.id
        """,
        dates,
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE flows AS
        WITH tags AS (
            -- A flow's own tags; a flow with none (in any strategy) takes its
            -- activity's: a disbursement serves what the activity it pays for serves.
            SELECT transaction_id, objective_id, percentage FROM transaction_objectives
            UNION ALL
            SELECT t.id, ao.objective_id, ao.percentage
            FROM (SELECT id, activity_id FROM transactions t WHERE NOT EXISTS (
                      SELECT 1 FROM transaction_objectives o WHERE o.transaction_id = t.id)
            ) t JOIN activity_objectives ao ON ao.activity_id = t.activity_id
        ),
        shares AS (
            SELECT tags.transaction_id, p.pillar, sum(tags.percentage) / 100 AS share
            FROM tags JOIN pillar_of p ON p.id = tags.objective_id
            GROUP BY tags.transaction_id, p.pillar
        )
        SELECT t.id, t.type, t.date, t.amount_usd, t.on_budget, s.pillar,
               coalesce(s.share, 0) AS share
        FROM transactions t LEFT JOIN shares s ON s.transaction_id = t.id
        WHERE ($start IS NULL OR t.date >= $start::DATE) AND ($end IS NULL OR t.date <= $end::DATE)
        """,
        dates,
    )
    funding = {}
    for group, types in FLOWS.items():
        total, aligned, on_budget = one(
            con,
            f"""
            WITH one AS (
                SELECT id, any_value(amount_usd) AS amount, any_value(on_budget) AS on_budget,
                       least(sum(share), 1) AS share
                FROM flows WHERE type IN ({", ".join(f"'{t}'" for t in types)}) GROUP BY id
            )
            SELECT coalesce(sum(amount), 0), coalesce(sum(amount * share), 0),
                   coalesce(sum(amount) FILTER (WHERE on_budget), 0)
            FROM one
            """,
        )
        funding[group] = {
            "total_usd": round(total, 2),
            "aligned_usd": round(aligned, 2),
            "aligned_share": round(aligned / total, 4) if total else None,
            "on_budget_share": round(on_budget / total, 4) if total else None,
        }
    committed, disbursed = (", ".join(f"'{t}'" for t in FLOWS[g]) for g in FLOWS)
    pillars = con.execute(
        f"""
        WITH sums AS (  -- the flows read once for every pillar
            SELECT pillar,
                   sum(amount_usd * share) FILTER (WHERE type IN ({committed})) AS committed,
                   sum(amount_usd * share) FILTER (WHERE type IN ({disbursed})) AS disbursed
            FROM flows WHERE pillar IS NOT NULL GROUP BY pillar
        )
        SELECT o.id, o.code, o.title, coalesce(s.committed, 0), coalesce(s.disbursed, 0),
               (SELECT sum(x.budget_target_usd) FROM objectives x JOIN pillar_of p ON p.id = x.id
                 WHERE p.pillar = o.id) AS target
        FROM objectives o LEFT JOIN sums s ON s.pillar = o.id
        WHERE o.framework_id = $framework AND o.parent_id IS NULL
        ORDER BY o.code
        """,
        params,
    ).fetchall()
    unaligned = con.execute(
        """
        SELECT f.id, f.type, t.provider, t.receiver, f.date::VARCHAR AS date, f.amount_usd,
               f.amount_usd IS NULL AS pending, t.description
        FROM flows f JOIN transactions t ON t.id = f.id
        WHERE f.pillar IS NULL  -- the one row of a flow with no share (a left join's)
        ORDER BY f.amount_usd DESC NULLS LAST, f.id
        """
    ).to_arrow_table()
    # Flows whose amount waits for an exchange rate are in no sum: say how many.
    (pending,) = one(con, "SELECT count(DISTINCT id) FROM flows WHERE amount_usd IS NULL")
    count, aligned_activities = activity
    return {
        "framework": {"id": options.framework_id, "name": name},
        "activities": {
            "count": count,
            "aligned": round(aligned_activities, 2),
            "aligned_share": round(aligned_activities / count, 4) if count else None,
        },
        "funding": funding,
        "flows_pending_conversion": pending,
        "pillars": [
            {"id": i, "code": code, "title": title, "committed_usd": round(committed, 2),
             "disbursed_usd": round(disbursed, 2), "target_usd": target,
             "committed_of_target": round(committed / target, 4) if target else None}
            for i, code, title, committed, disbursed, target in pillars
        ],
        "unaligned": _unaligned(unaligned),
    }  # fmt: skip


def _unaligned(flows: pa.Table) -> list[dict[str, Any]]:
    """The unaligned flows' rows (dates in ISO, amounts to the cent), made column by
    column: a large funding picture leaves a hundred thousand of them."""
    amounts = flows["amount_usd"].fill_null(0).to_numpy()
    columns = [flows[name].to_pylist() for name in ("id", "type", "provider", "receiver", "date")]
    columns += [rounded(amounts, 2).tolist(), flows["pending"].to_pylist(),
                flows["description"].to_pylist()]  # fmt: skip
    return [
        {"id": i, "type": kind, "provider": provider, "receiver": receiver, "date": date,
         "amount_usd": None if pending else amount, "description": description}
        for i, kind, provider, receiver, date, amount, pending, description
        in zip(*columns, strict=True)
    ]  # fmt: skip
