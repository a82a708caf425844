"""Many activities at once for the tests of scale: made in bulk, each in every one of
the units given."""

from kafo.response.models import Activity


def make_activities(organisation, units, count: int, prefix: str = "A") -> list[Activity]:
    made = Activity.objects.bulk_create(
        Activity(title=f"{prefix}{n}", organisation=organisation, sector="PRO-MIN",
                 source_id=f"S{n}")
        for n in range(count)
    )  # fmt: skip
    through = Activity.locations.through
    through.objects.bulk_create(
        through(activity_id=activity.pk, adminunit_id=unit.pk)
        for activity in made for unit in units
    )  # fmt: skip
    return made
