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
