"""A 5W import takes its activities' ids before writing them: never an id a deleted
activity had, never one another activity holds, and each row's admin units and
organisations go to its own activity."""

from kafo.interop.activities import import_activities
from kafo.response.models import Activity, ActivityParticipant, OrganisationRole
from tests.interop.test_import_activities import HEADER


def _file(tmp_path, name, *rows):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_ids_follow_the_last_ever_given_and_links_follow_their_rows(
    tmp_path, demo_geography, organisation
):
    organisation("HI", name="Humanité & Inclusion")
    organisation("DRC", name="Danish Refugee Council")
    first = import_activities(_file(tmp_path, "a.csv",
        "Humanité & Inclusion,Lutte antimines,EER 1,HI-1,,ML0501,2025-01-06,2025-03-31,4,3,",
        "Danish Refugee Council,Protection,Suivi,DRC-1,,ML0401,2025-01-06,2025-03-31,,,",
    ))  # fmt: skip
    assert first.created == 2
    dropped = Activity.objects.get(source_id="DRC-1")
    dropped_id = dropped.pk
    dropped.delete()
    second = import_activities(_file(tmp_path, "b.csv",
        "Danish Refugee Council,Protection,Suivi,DRC-2,,ML0402,2025-01-06,2025-03-31,,,",
        "Humanité & Inclusion,Lutte antimines,EER 2,HI-2,,ML0502,2025-02-01,2025-03-31,5,6,",
    ))  # fmt: skip
    assert second.created == 2
    drc, hi = Activity.objects.get(source_id="DRC-2"), Activity.objects.get(source_id="HI-2")
    assert drc.pk == dropped_id + 1 and hi.pk == drc.pk + 1  # the deleted id not again
    assert [u.pcode for u in drc.locations.all()] == ["ML0402"]
    assert [u.pcode for u in hi.locations.all()] == ["ML0502"]
    assert (hi.reached_girls, hi.reached_boys) == (5, 6)
    assert list(
        ActivityParticipant.objects.filter(activity=drc).values_list(
            "organisation__acronym", "role"
        )
    ) == [("DRC", OrganisationRole.IMPLEMENTING)]
    # The ORM goes on after the imported ids.
    after = Activity.objects.create(title="Après", organisation=hi.organisation)
    assert after.pk == hi.pk + 1


def test_the_columns_written_in_bulk_read_back_as_the_orm_writes_them(
    tmp_path, demo_geography, organisation
):
    """Dates, statuses and defaults are given to SQLite as its adapters would give them:
    the raw rows of an imported activity and of the same activity saved by the ORM match."""
    from django.db import connection

    organisation("HI", name="Humanité & Inclusion")
    import_activities(_file(tmp_path, "a.csv",
        "Humanité & Inclusion,Lutte antimines,EER 1,HI-1,,ML0501,2025-01-06,2025-03-31,4,3,",
    ))  # fmt: skip
    imported = Activity.objects.get(source_id="HI-1")
    copy = Activity.objects.get(pk=imported.pk)
    copy.pk, copy.source_id = None, "HI-copy"
    copy.save()
    columns = [f.column for f in Activity._meta.concrete_fields
               if f.column not in ("id", "source_id")]  # fmt: skip
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    names = columns
    if connection.vendor == "sqlite":  # the stored types too
        quoted += ", " + ", ".join(f"typeof({connection.ops.quote_name(c)})" for c in columns)
        names = [*columns, *(f"typeof({c})" for c in columns)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM response_activity WHERE id IN (%s, %s) ORDER BY id",
                       [imported.pk, copy.pk])  # fmt: skip
        first, second = cursor.fetchall()
    differing = {name: (a, b) for name, a, b in zip(names, first, second, strict=True) if a != b}
    assert differing == {}
    assert imported.status == "completed" and str(imported.planned_start) == "2025-01-06"
