"""The platform's data as the analysis engine's tables: the Django side of the data
contract that kafo.analysis.engine.TABLES declares (names, columns, types).

The tables are provided in two ways that tests/coordination/test_data_contract.py proves
equal, table by table, on SQLite and PostgreSQL: DuckDB reads the database itself when it
can (`database_sql`: a SQLite file from the command line, PostgreSQL outside a
transaction), else the ORM hands them over as Arrow (`arrow_tables`: an in-memory
database, inside a transaction as in tests, the web server on SQLite). The rules they
share (what a cancelled activity is, how hard a restriction makes access, which
indicators are budget targets) come from kafo.vocabulary."""

import datetime
import json
import logging
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from kafo import vocabulary
from kafo.actors.models import Organisation
from kafo.analysis.engine import TABLES, connect, extension, register_tables
from kafo.funding.models import Transaction, TransactionObjective
from kafo.geo.models import AdminUnit, CodVersion, Settlement
from kafo.mineaction.models import Accident, Hazard, Victim
from kafo.response.models import (
    AccessRestriction,
    Activity,
    ActivityObjective,
    Framework,
    Indicator,
    Need,
    Objective,
)

PEOPLE = (*vocabulary.PEOPLE, vocabulary.UNKNOWN_PEOPLE)
logger = logging.getLogger(__name__)


def _table(model) -> str:
    return f"kafo.{model._meta.db_table}"


def database_sql() -> dict[str, str]:
    """The engine's tables as SQL over the platform's database (attached as `kafo`)."""
    unit, version, organisation = _table(AdminUnit), _table(CodVersion), _table(Organisation)
    activity, hazard, accident = _table(Activity), _table(Hazard), _table(Accident)
    difficulty = " ".join(f"WHEN '{level}' THEN {value}"
                          for level, value in vocabulary.ACCESS_DIFFICULTY.items())  # fmt: skip
    groups = ", ".join(f"CASE WHEN a.targeted_{g} + a.reached_{g} > 0 THEN '{g}' END"
                       for g in vocabulary.PEOPLE)  # fmt: skip
    return {
        "units": f"""
            SELECT u.pcode, u.name, u.level::INTEGER AS level, p.pcode AS parent,
                   u.area_km2::DOUBLE AS area_km2, u.population::BIGINT AS population
            FROM {unit} u JOIN {version} v ON v.id = u.cod_version_id
            LEFT JOIN {unit} p ON p.id = u.parent_id
            WHERE v.is_active""",
        "activities": f"""
            SELECT a.id, a.source_id, coalesce(nullif(o.acronym, ''), o.name) AS organisation,
                   a.sector, a.activity_type,
                   coalesce(a.actual_start, a.planned_start) AS start,
                   coalesce(a.actual_end, a.planned_end) AS "end",
                   {" + ".join(f"a.targeted_{g}" for g in PEOPLE)} AS targeted,
                   {" + ".join(f"a.reached_{g}" for g in PEOPLE)} AS reached,
                   list_filter([{groups}], g -> g IS NOT NULL) AS groups
            FROM {activity} a JOIN {organisation} o ON o.id = a.organisation_id
            WHERE a.status <> '{vocabulary.CANCELLED}'""",
        "activity_units": f"""
            SELECT l.activity_id, u.pcode FROM {_table(Activity.locations.through)} l
            JOIN {unit} u ON u.id = l.adminunit_id""",
        "activity_points": f"""
            SELECT id AS activity_id, p[1] AS lon, p[2] AS lat FROM (
                SELECT id, unnest(CAST(points AS JSON)::DOUBLE[][]) AS p FROM {activity}
                WHERE points IS NOT NULL AND CAST(points AS VARCHAR) NOT IN ('', '[]'))""",
        "objectives": f"""
            SELECT o.id, o.framework_id, f.name AS framework, o.parent_id, o.level, o.code,
                   o.title,
                   (SELECT sum(i.target)::DOUBLE FROM {_table(Indicator)} i
                     WHERE i.objective_id = o.id AND i.measure = '{vocabulary.BUDGET_USD}')
                       AS budget_target_usd
            FROM {_table(Objective)} o JOIN {_table(Framework)} f ON f.id = o.framework_id""",
        "activity_objectives": f"""
            SELECT activity_id, objective_id, percentage::DOUBLE AS percentage
            FROM {_table(ActivityObjective)}""",
        "transactions": f"""
            SELECT t.id, t.type, coalesce(nullif(p.acronym, ''), p.name) AS provider,
                   coalesce(nullif(r.acronym, ''), r.name) AS receiver, t.activity_id, t.date,
                   -- Each factor as DOUBLE: DuckDB multiplies DECIMAL(18,·) columns into a
                   -- DECIMAL(18) that overflows past about a million (seen on PostgreSQL).
                   (t.amount::DOUBLE * t.rate_to_usd::DOUBLE * t.country_share::DOUBLE)
                       AS amount_usd,
                   t.on_budget, t.description
            FROM {_table(Transaction)} t
            JOIN {organisation} p ON p.id = t.provider_id
            JOIN {organisation} r ON r.id = t.receiver_id""",
        "transaction_objectives": f"""
            SELECT transaction_id, objective_id, percentage::DOUBLE AS percentage
            FROM {_table(TransactionObjective)}""",
        "hazards": f"""
            SELECT h.reference, u.pcode, h.longitude AS lon, h.latitude AS lat, h.status,
                   h.remaining_area_m2::DOUBLE AS remaining_m2,
                   json_array_length(CAST(h.blockages AS JSON))::BIGINT AS blockages,
                   h.classification
            FROM {hazard} h LEFT JOIN {unit} u ON u.id = h.admin_unit_id""",
        "incidents": f"""
            SELECT a.reference, a.date, u.pcode, a.longitude AS lon, a.latitude AS lat,
                   (SELECT count(*) FROM {_table(Victim)} v WHERE v.accident_id = a.id)
                       AS casualties
            FROM {accident} a LEFT JOIN {unit} u ON u.id = a.admin_unit_id""",
        "settlements": f"""
            SELECT s.pcode, u.pcode AS unit, s.longitude AS lon, s.latitude AS lat,
                   s.population::BIGINT AS population
            FROM {_table(Settlement)} s JOIN {version} v ON v.id = s.cod_version_id
            LEFT JOIN {unit} u ON u.id = s.admin_unit_id
            WHERE v.is_active""",
        # Restrictions in force today (a restriction covers the units under it).
        "access": f"""
            SELECT u.pcode, CASE r.level {difficulty} END AS difficulty
            FROM {_table(AccessRestriction)} r JOIN {unit} u ON u.id = r.admin_unit_id
            WHERE r.start <= current_date AND (r."end" IS NULL OR r."end" >= current_date)""",
        "needs": f"""
            SELECT u.pcode, n.sector, n.year::INTEGER AS year, n.in_need, n.population
            FROM {_table(Need)} n JOIN {unit} u ON u.id = n.admin_unit_id""",
    }


def attach_database(con: duckdb.DuckDBPyConnection, url: str) -> None:
    """Read the platform's database directly (`sqlite:///path` or
    `postgres://user@host:port/db`) into the engine's tables."""
    for statement in attach_statements(url):
        con.execute(statement)
    for name, sql in database_sql().items():
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")


def attach_statements(url: str) -> list[str]:
    """The DuckDB statements that attach the platform's database as `kafo`, read-only."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        return [f"LOAD '{extension('sqlite_scanner')}'",
                f"ATTACH '{_quote(path)}' AS kafo (TYPE sqlite, READ_ONLY)"]  # fmt: skip
    if parsed.scheme in ("postgres", "postgresql"):
        parts = {"dbname": parsed.path.lstrip("/"), "host": parsed.hostname, "port": parsed.port,
                 "user": unquote(parsed.username or ""),
                 "password": unquote(parsed.password or "")}  # fmt: skip
        dsn = " ".join(f"{key}={value}" for key, value in parts.items() if value)
        return [f"LOAD '{extension('postgres_scanner')}'",
                f"ATTACH '{_quote(dsn)}' AS kafo (TYPE postgres, READ_ONLY)"]  # fmt: skip
    raise ValueError(f"cannot read a {parsed.scheme!r} database")


def _quote(text: str) -> str:
    return text.replace("'", "''")


def database_url(sole_user: bool = False) -> str | None:
    """A URL DuckDB can attach, or None.

    A SQLite file only for the command line (`sole_user`): DuckDB carries its own SQLite
    library, and two SQLite libraries in one process must not hold the same file while
    other threads (the web server's) use it; their locks do not see each other."""
    if connection.in_atomic_block:
        return None  # uncommitted rows: only this connection sees them
    if connection.vendor == "sqlite":
        name = sqlite_file()
        if not sole_user or name is None:
            return None
        connection.close()  # Django holds no lock on the file while DuckDB reads it
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        return postgresql_url()
    return None


def sqlite_file() -> str | None:
    """The SQLite database's file, or None (PostgreSQL, a database in memory)."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return name


def postgresql_url() -> str:
    """The URL of Django's PostgreSQL database, for DuckDB; a read replica's when
    KAFO_ANALYSIS_DATABASE_URL names one (the analyses then see the primary's data as
    the replica has it: seconds behind at most, under streaming replication)."""
    from django.conf import settings as django_settings

    if replica := django_settings.KAFO_ANALYSIS_DATABASE_URL:
        return "postgresql://" + replica.split("://", 1)[1]
    settings = connection.settings_dict
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgresql://{user}{password}@{host}{port}/{settings['NAME']}"


def arrow_tables() -> dict[str, pa.Table]:
    """The engine's tables read through the ORM."""
    units = AdminUnit.objects.active().values_list(
        "pcode", "name", "level", "parent__pcode", "area_km2", "population"
    )
    activities = _activities()
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
    settlements = Settlement.objects.active().values_list(
        "pcode", "admin_unit__pcode", "longitude", "latitude", "population"
    )
    budget_targets: dict[int, float] = {}
    for objective_id, target in Indicator.objects.filter(measure=vocabulary.BUDGET_USD).values_list(
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
        if isinstance(rows, pa.Table):
            return rows
        columns = TABLES[name]
        values = list(zip(*rows, strict=True)) or [()] * len(columns)  # column by column
        return pa.table({column: pa.array(column_values, kind)
                         for (column, kind), column_values in zip(columns.items(), values,
                                                                  strict=True)})  # fmt: skip

    today = datetime.date.today()
    access = [
        (pcode, vocabulary.ACCESS_DIFFICULTY[level])
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


def _activities() -> pa.Table:
    """The activities' table, made column by column from the rows as the database gives
    them (1.6 s for 100,000 activities, where a dict per row took 2.8 s)."""
    names = [
        "id",
        "source_id",
        "organisation__acronym",
        "organisation__name",
        "sector",
        "activity_type",
        "actual_start",
        "planned_start",
        "actual_end",
        "planned_end",
        *(f"{stage}_{group}" for stage in ("targeted", "reached") for group in PEOPLE),
    ]
    query = Activity.objects.exclude(status=vocabulary.CANCELLED).values_list(*names)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    raw = dict(zip(names, list(zip(*rows, strict=True)) or [()] * len(names), strict=True))

    def text(name: str) -> pa.Array:
        return pa.array(raw[name], pa.string())

    def day(name: str) -> pa.Array:  # SQLite gives ISO text, PostgreSQL dates
        values = raw[name]
        found = next((v for v in values if v is not None), None)
        return pa.array(values, pa.string() if isinstance(found, str) else pa.date32()).cast(
            pa.date32()
        )

    def people(stage: str, group: str) -> np.ndarray:
        return np.asarray(raw[f"{stage}_{group}"], dtype=np.int64).reshape(len(rows))

    acronym = text("organisation__acronym")
    # An empty acronym is none: the name is shown (as `acronym or name`).
    acronym = pc.if_else(pc.equal(acronym, ""), pa.scalar(None, pa.string()), acronym)
    # Target groups with people targeted or reached: each row's set as bits, and the
    # list of each set of bits looked up (no loop over the rows).
    bits = np.zeros(len(rows), dtype=np.int64)
    for position, group in enumerate(vocabulary.PEOPLE):
        bits |= ((people("targeted", group) + people("reached", group)) > 0) << position
    every_set = [[g for j, g in enumerate(vocabulary.PEOPLE) if k >> j & 1]
                 for k in range(1 << len(vocabulary.PEOPLE))]  # fmt: skip
    sets = pa.array(every_set, pa.list_(pa.string()))
    columns = TABLES["activities"]
    return pa.table({
        "id": pa.array(raw["id"], pa.int64()),
        "source_id": text("source_id"),
        "organisation": pc.coalesce(acronym, text("organisation__name")),
        "sector": text("sector"), "activity_type": text("activity_type"),
        "start": pc.coalesce(day("actual_start"), day("planned_start")),
        "end": pc.coalesce(day("actual_end"), day("planned_end")),
        "targeted": sum(people("targeted", g) for g in PEOPLE) if rows else np.zeros(0, np.int64),
        "reached": sum(people("reached", g) for g in PEOPLE) if rows else np.zeros(0, np.int64),
        "groups": sets.take(pa.array(bits)),
    }).cast(pa.schema(columns))  # fmt: skip


def analysis_connection(sole_user: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the platform's tables ready for kafo.analysis;
    `sole_user`: called from the command line (see `database_url`).

    With the analyses' cache on, the tables are read from the database once per version
    of the data and kept as Parquet files, which every other analysis of that version,
    in any process, reads instead (`kept_tables`)."""
    con = connect(spill_to=Path(settings.DATA_DIR) / "analysis-spill")
    version = _committed_version()
    if version is not None and _read_kept(con, version):
        return con
    url = database_url(sole_user)
    if url:
        attach_database(con, url)
    elif version is not None and _copied_apart(con, version):
        return con  # read and kept by a process of its own
    else:
        register_tables(con, arrow_tables())
    if version is not None:
        _keep(con, version)
    return con


# A copy of the tables taking longer than this is abandoned (the ORM reads them then).
COPY_SECONDS = 600


def _copied_apart(con: duckdb.DuckDBPyConnection, version: int) -> bool:
    """A SQLite file's tables, copied to Parquet by DuckDB in a process of its own
    (kafo.analysis.copy_tables: 16× faster than the ORM at a million activities), read
    here and kept as the version's. False when the database is not a SQLite file, or
    the copy failed (logged; the ORM reads the tables then)."""
    path = sqlite_file()
    if path is None:
        return False
    folder = tables_folder()
    folder.mkdir(parents=True, exist_ok=True)
    making = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=folder))
    job = {"attach": attach_statements(f"sqlite:///{path}"), "queries": database_sql(),
           "folder": str(making)}  # fmt: skip
    try:
        subprocess.run([sys.executable, "-m", "kafo.analysis.copy_tables"],
                       input=json.dumps(job), text=True, capture_output=True, check=True,
                       timeout=COPY_SECONDS, env=_finding_kafo())  # fmt: skip
        _read_folder(con, making)
    except subprocess.CalledProcessError as error:
        _abandon(making, error.stderr.strip().splitlines()[-1:] or [str(error)])
        return False
    except (subprocess.SubprocessError, OSError, duckdb.Error) as error:
        _abandon(making, [str(error)])
        return False
    _name_kept(making, version)
    return True


def _finding_kafo() -> dict[str, str]:
    # The child imports Kafo from where this process did, whatever its working folder.
    import os

    import kafo

    here = str(Path(kafo.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": here + (os.pathsep + path if path else "")}


def _abandon(making: Path, why: list[str]) -> None:
    shutil.rmtree(making, ignore_errors=True)
    logger.warning(
        "the analyses' tables could not be copied apart (%s): read through the ORM", "; ".join(why)
    )


def tables_folder() -> Path:
    """Where the engine's tables are kept: a folder per version of the data."""
    return Path(settings.DATA_DIR) / "analysis-tables"


def kept_tables(version: int) -> Path | None:
    """The folder of the tables kept for this version of the data, if any.

    The folder's name is the version and a random token, and the database's cache says
    which token is the version's: a database restored from a backup counts its versions
    again from the backup's, and its cache, restored with it, never names the folders of
    the versions it forgot."""
    token = cache.get(f"{TABLES_KEY}:{version}")
    return tables_folder() / f"{version}-{token}" if token else None


TABLES_KEY = "kafo:analysis:tables"


def _committed_version() -> int | None:
    # Inside a transaction (tests, a request that writes) the tables may hold rows that
    # are not committed: they have no version of their own.
    if not settings.KAFO_ANALYSIS_CACHE or connection.in_atomic_block:
        return None
    from kafo.coordination.cache import data_version

    return data_version()  # read before the tables: they are never older than it


def _read_kept(con: duckdb.DuckDBPyConnection, version: int) -> bool:
    folder = kept_tables(version)
    if folder is None:
        return False
    try:
        _read_folder(con, folder)
    except (duckdb.IOException, OSError):
        return False  # removed meanwhile (a newer version's were kept): read the database
    return True


def _read_folder(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    for name in TABLES:
        path = _quote(str(folder / f"{name}.parquet"))
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet('{path}')")


def _keep(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Write the tables in a folder of their own, whole or not at all (made apart, then
    renamed), name it in the cache, and remove the older versions' folders (the data
    deleted since does not stay there)."""
    folder = tables_folder()
    folder.mkdir(parents=True, exist_ok=True)
    making = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=folder))
    try:
        for name in TABLES:
            path = _quote(str(making / f"{name}.parquet"))
            con.execute(f"COPY {name} TO '{path}' (FORMAT parquet)")
    except (duckdb.IOException, OSError):
        shutil.rmtree(making, ignore_errors=True)  # a full disk: the analyses go on
        return
    _name_kept(making, version)


def _name_kept(making: Path, version: int) -> None:
    """Rename a folder of tables written whole to the version's, name it in the cache,
    and remove the older versions' folders (the data deleted since does not stay
    there)."""
    from kafo.coordination.cache import KEEP_SECONDS

    folder = making.parent
    token = secrets.token_hex(8)
    try:
        making.rename(folder / f"{version}-{token}")
    except OSError:
        shutil.rmtree(making, ignore_errors=True)
        return
    if not cache.add(f"{TABLES_KEY}:{version}", token, KEEP_SECONDS):
        shutil.rmtree(folder / f"{version}-{token}", ignore_errors=True)  # kept by another
    for older in folder.iterdir():
        number = older.name.split("-", 1)[0]
        if number.isdigit() and int(number) < version:
            shutil.rmtree(older, ignore_errors=True)
        elif number.startswith(".") and _left_behind(older):
            shutil.rmtree(older, ignore_errors=True)  # half-written by a process killed


# A folder still being written after this long was left by a process that stopped.
WRITING_SECONDS = 3600


def _left_behind(folder: Path) -> bool:
    try:
        return time.time() - folder.stat().st_mtime > WRITING_SECONDS
    except OSError:
        return False  # renamed or removed meanwhile
