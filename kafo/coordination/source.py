"""The platform's data as the analysis engine's tables (kafo.analysis, which imports no
Django): DuckDB reads the database itself when it can (SQLite file, PostgreSQL); otherwise
(an in-memory database, or inside a transaction, as in tests) the tables are handed over as
Arrow. Used by the pages, the API, `kafo analyse`, joint plans and community coverage."""

import datetime

import duckdb
import pyarrow as pa
from django.db import connection
from django.db.models import Count

from kafo.analysis.engine import PEOPLE, TABLES, attach_database, connect, register_tables


def database_url(sole_user: bool = False) -> str | None:
    """A URL DuckDB can attach, or None.

    A SQLite file only for the command line (`sole_user`): DuckDB carries its own SQLite
    library, and two SQLite libraries in one process must not hold the same file while
    other threads (the web server's) use it; their locks do not see each other."""
    if connection.in_atomic_block:
        return None  # uncommitted rows: only this connection sees them
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])
        if not sole_user or name == ":memory:" or name.startswith("file:"):
            return None
        if "mode=memory" in name:
            return None
        connection.close()  # Django holds no lock on the file while DuckDB reads it
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        user = settings.get("USER") or ""
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host = settings.get("HOST") or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgresql://{user}{password}@{host}{port}/{settings['NAME']}"
    return None


def arrow_tables() -> dict[str, pa.Table]:
    """The engine's tables read through the ORM."""
    from kafo.funding.models import Transaction, TransactionObjective
    from kafo.geo.models import AdminUnit, Settlement
    from kafo.mineaction.models import Accident, Hazard
    from kafo.response.models import (
        ACCESS_DIFFICULTY,
        AccessRestriction,
        Activity,
        ActivityObjective,
        Indicator,
        Measure,
        Need,
        Objective,
    )  # fmt: skip

    units = AdminUnit.objects.filter(cod_version__is_active=True).values_list(
        "pcode", "name", "level", "parent__pcode", "area_km2", "population"
    )
    activities = []
    for row in Activity.objects.exclude(status="cancelled").values(
        "id", "source_id", "organisation__acronym", "organisation__name", "sector",
        "activity_type", "actual_start", "planned_start", "actual_end", "planned_end",
        *(f"{stage}_{group}" for stage in ("targeted", "reached")
          for group in (*PEOPLE, "unknown")),
    ):  # fmt: skip
        activities.append({
            "id": row["id"], "source_id": row["source_id"],
            "organisation": row["organisation__acronym"] or row["organisation__name"],
            "sector": row["sector"], "activity_type": row["activity_type"],
            "start": row["actual_start"] or row["planned_start"],
            "end": row["actual_end"] or row["planned_end"],
            "targeted": sum(row[f"targeted_{g}"] for g in (*PEOPLE, "unknown")),
            "reached": sum(row[f"reached_{g}"] for g in (*PEOPLE, "unknown")),
            "groups": [g for g in PEOPLE if row[f"targeted_{g}"] + row[f"reached_{g}"] > 0],
        })  # fmt: skip
    places = Activity.locations.through.objects.values_list("activity_id", "adminunit__pcode")
    points = [
        (pk, lon, lat)
        for pk, pairs in Activity.objects.exclude(points=[]).values_list("pk", "points")
        for lon, lat in pairs
    ]
    needs = Need.objects.values_list("admin_unit__pcode", "sector", "year", "in_need", "population")
    hazards = [
        (h.reference, h.admin_unit.pcode if h.admin_unit else None, h.longitude, h.latitude,
         h.status, h.remaining_area_m2, len(h.blockages or []), h.classification)
        for h in Hazard.objects.select_related("admin_unit")
    ]  # fmt: skip
    incidents = [
        (a.reference, a.date, a.admin_unit.pcode if a.admin_unit else None, a.longitude,
         a.latitude, a.casualties)
        for a in Accident.objects.select_related("admin_unit").annotate(casualties=Count("victims"))
    ]  # fmt: skip
    settlements = Settlement.objects.filter(cod_version__is_active=True).values_list(
        "pcode", "admin_unit__pcode", "longitude", "latitude", "population"
    )
    budget_targets: dict[int, float] = {}
    for objective_id, target in Indicator.objects.filter(measure=Measure.BUDGET_USD).values_list(
        "objective_id", "target"
    ):
        budget_targets[objective_id] = budget_targets.get(objective_id, 0.0) + float(target or 0)
    objectives = [
        (pk, framework_id, framework, parent_id, level, code, title, budget_targets.get(pk))
        for pk, framework_id, framework, parent_id, level, code, title in
        Objective.objects.values_list("pk", "framework_id", "framework__name", "parent_id",
                                      "level", "code", "title")
    ]  # fmt: skip
    activity_shares = ActivityObjective.objects.values_list(
        "activity_id", "objective_id", "percentage"
    )
    flows = [
        (t.pk, t.type, t.provider.acronym or t.provider.name, t.receiver.acronym or t.receiver.name,
         t.activity_id, t.date,
         None if t.rate_to_usd is None else float(t.amount * t.rate_to_usd * t.country_share),
         t.on_budget, t.description)
        for t in Transaction.objects.select_related("provider", "receiver")
    ]  # fmt: skip
    flow_shares = TransactionObjective.objects.values_list(
        "transaction_id", "objective_id", "percentage"
    )

    def table(name: str, rows) -> pa.Table:
        columns = TABLES[name]
        rows = [dict(zip(columns, row, strict=True)) if not isinstance(row, dict) else row
                for row in rows]  # fmt: skip
        return pa.Table.from_pylist(rows, schema=pa.schema(columns))

    today = datetime.date.today()
    access = [
        (pcode, ACCESS_DIFFICULTY[level])
        for pcode, level in AccessRestriction.objects.filter(start__lte=today)
        .exclude(end__lt=today).values_list("admin_unit__pcode", "level")
    ]  # fmt: skip
    return {
        "access": table("access", access),
        "units": table("units", units),
        "activities": table("activities", activities),
        "activity_units": table("activity_units", places),
        "activity_points": table("activity_points", points),
        "objectives": table("objectives", objectives),
        "hazards": table("hazards", hazards),
        "incidents": table("incidents", incidents),
        "settlements": table("settlements", settlements),
        "activity_objectives": table(
            "activity_objectives", [(a, o, float(p)) for a, o, p in activity_shares]
        ),
        "transactions": table("transactions", flows),
        "transaction_objectives": table(
            "transaction_objectives", [(t, o, float(p)) for t, o, p in flow_shares]
        ),
        "needs": table("needs", needs),
    }


def analysis_connection(sole_user: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the platform's tables ready for kafo.analysis;
    `sole_user`: called from the command line (see `database_url`)."""
    con = connect()
    url = database_url(sole_user)
    if url:
        attach_database(con, url)
    else:
        register_tables(con, arrow_tables())
    return con
