"""One data contract for the engines: the tables DuckDB reads from the database itself
(SQL) and the tables the ORM hands over (Arrow) are the same, table by table and row by
row, on SQLite and on PostgreSQL, over the demo and the cases at the edges (a cancelled
activity, an organisation without acronym, points, restrictions of both levels, a
budget target, a flow not yet converted, a hazard outside any unit, casualties)."""

import datetime
import math
import sqlite3
from decimal import Decimal

import pytest
from django.db import connection

from kafo.analysis.engine import TABLES, connect, register_tables
from kafo.coordination.source import arrow_tables, attach_database, postgresql_url


@pytest.fixture(scope="module")
def platform(django_db_setup, django_db_blocker):
    """The demo and the edge cases, committed (DuckDB reads committed rows only)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("demo")
        _plant_edges()
        yield
        call_command("flush", interactive=False)


def _plant_edges() -> None:
    from kafo.actors.models import Organisation
    from kafo.funding.models import Transaction
    from kafo.geo.models import AdminUnit
    from kafo.mineaction.models import Hazard
    from kafo.response.models import AccessRestriction, Activity, Framework, Indicator, Objective

    plain = Organisation.objects.create(name="Association sans sigle", type="national_ngo")
    mopti = AdminUnit.objects.active().get(pcode="ML0501")
    today = datetime.date.today()
    two_points = [[-4.2, 14.5], [-4.1, 14.4]]
    for status, points in (("cancelled", [[-4.2, 14.5]]), ("ongoing", two_points)):
        activity = Activity.objects.create(
            organisation=plain, title=f"EER {status}", sector="PRO-MIN", activity_type="EORE",
            status=status, planned_start=today, reached_girls=3, targeted_unknown=7,
            points=points,
        )  # fmt: skip
        activity.locations.set([mopti])
    for level in ("escort", "no_access"):
        AccessRestriction.objects.create(
            admin_unit=mopti, level=level, start=today - datetime.timedelta(days=3),
            reason="test",
        )  # fmt: skip
    framework = Framework.objects.create(owner=plain, kind="other", name="Plan", start_year=2025,
                                         end_year=2026)  # fmt: skip
    pillar = Objective.objects.create(framework=framework, level="pillar", code="P", title="P")
    Indicator.objects.create(objective=pillar, name="Budget", measure="budget_usd",
                             target=Decimal("1234.5"))  # fmt: skip
    Transaction.objects.create(
        type="3", provider=plain, receiver=plain, date=today, amount=Decimal("10"),
        currency="XOF",
    )  # fmt: skip
    hazard = Hazard.objects.exclude(admin_unit=None).first()
    if hazard is not None:
        Hazard.objects.filter(pk=hazard.pk).update(admin_unit=None)


def _sql_tables(tmp_path) -> dict[str, list[tuple]]:
    con = connect()
    if connection.vendor == "postgresql":
        url = postgresql_url()
    else:
        # The test database lives in memory: a file copy for DuckDB to attach.
        path = tmp_path / "copy.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        url = f"sqlite:///{path}"
    attach_database(con, url)
    return {name: _rows(con, name) for name in TABLES}


def _arrow_tables() -> dict[str, list[tuple]]:
    con = connect()
    register_tables(con, arrow_tables())
    return {name: _rows(con, name) for name in TABLES}


def _rows(con, name: str) -> list[tuple]:
    columns = ", ".join(f'"{c}"' for c in TABLES[name])
    rows = con.execute(f"SELECT {columns} FROM {name}").fetchall()
    return sorted((tuple(_comparable(v) for v in row) for row in rows), key=repr)


def _comparable(value):
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, list):
        return tuple(value)
    return value


# Outside a transaction: SQLite copies no database that a transaction holds.
@pytest.mark.django_db(transaction=True)
def test_the_database_and_the_orm_give_the_same_tables(platform, tmp_path):
    by_sql, by_orm = _sql_tables(tmp_path), _arrow_tables()
    for name in TABLES:
        assert by_sql[name] == by_orm[name], name
    # The edges are in the tables, so the comparison covered them.
    assert len(by_orm["access"]) >= 2 and by_orm["activity_points"]
    assert any(row[1] is None for row in by_orm["hazards"])
    assert any(row[-1] == 1234.5 for row in by_orm["objectives"])
    assert any(row[6] is None for row in by_orm["transactions"])
    assert any(row[2] == "Association sans sigle" for row in by_orm["activities"])
    assert not any(row[3] == "EER cancelled" for row in by_orm["activities"])
    assert sum(row[5] for row in by_orm["incidents"]) > 0


def test_the_engine_holds_no_table_of_the_platform():
    """The engine declares its tables; which of Django's tables feed them is the
    coordination's business."""
    from pathlib import Path

    import kafo.analysis

    for path in Path(kafo.analysis.__file__).parent.glob("*.py"):
        text = path.read_text()
        for app in ("geo_", "response_", "mineaction_", "funding_", "actors_"):
            assert f"kafo.{app}" not in text, path.name
