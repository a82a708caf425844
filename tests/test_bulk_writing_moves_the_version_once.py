"""A bulk write (the 5W import) moves the data version once, not at each row, and leaves
every trigger as it was, whether it succeeds or fails.

These tests commit (transactional_db): on PostgreSQL the version moves at commit."""

import pytest
from django.db import connection, transaction

from kafo.actors.models import Organisation
from kafo.data_version import bulk_writing, data_version
from kafo.interop.activities import import_activities
from kafo.response.models import Activity

TABLES = ("response_activity", "response_activity_locations", "response_activityparticipant")


@pytest.fixture
def hi(transactional_db, demo_geography):
    return Organisation.objects.create(name="Humanité & Inclusion", acronym="HI")


def _triggers() -> list[tuple[str, str]]:
    """The version triggers on SQLite (names and SQL); PostgreSQL's, by name."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           "ORDER BY name")  # fmt: skip
        else:
            cursor.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
                           "WHERE NOT tgisinternal ORDER BY 1, 2")  # fmt: skip
        return cursor.fetchall()


def _five_w(tmp_path, rows: int):
    path = tmp_path / "5w.csv"
    lines = [f"HI,PRO-MIN,EORE,A{n},ML0501" for n in range(rows)]
    path.write_text("#org+impl,#sector,#activity+type,#meta+id,#adm2+code\n" + "\n".join(lines))
    return path


def test_an_import_of_many_rows_moves_the_version_by_one(hi, tmp_path):
    triggers = _triggers()
    before = data_version()
    batch = import_activities(_five_w(tmp_path, 300))
    assert (batch.status, batch.created) == ("imported", 300)
    assert Activity.objects.count() == 300
    assert Activity.locations.through.objects.count() == 300
    assert data_version() == before + 1
    assert _triggers() == triggers


def test_the_triggers_work_again_after_it(hi, tmp_path):
    import_activities(_five_w(tmp_path, 3))
    before = data_version()
    Activity.objects.filter(source_id="A1").update(title="Autre")
    assert data_version() > before


def test_a_failed_bulk_write_rolls_back_triggers_and_rows(hi):
    triggers = _triggers()
    before = data_version()
    with pytest.raises(RuntimeError), bulk_writing(*TABLES):
        Activity.objects.create(title="A", organisation=hi, sector="PRO-MIN")
        raise RuntimeError("stopped half way")
    assert _triggers() == triggers
    assert data_version() == before
    assert not Activity.objects.exists()
    Activity.objects.create(title="B", organisation=hi, sector="PRO-MIN")
    assert data_version() > before  # the triggers still move it


def test_inside_a_longer_transaction_a_failure_keeps_the_triggers(hi):
    triggers = _triggers()
    with transaction.atomic():
        try:
            with bulk_writing(*TABLES):
                Activity.objects.create(title="A", organisation=hi, sector="PRO-MIN")
                raise RuntimeError("stopped half way")
        except RuntimeError:
            pass
        assert _triggers() == triggers
        before = data_version()
        Activity.objects.create(title="B", organisation=hi, sector="PRO-MIN")
    assert data_version() > before
    assert list(Activity.objects.values_list("title", flat=True)) == ["B"]
