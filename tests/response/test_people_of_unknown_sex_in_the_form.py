"""People whose sex and age a file does not say (its totals) are shown in the activity
form and kept when the activity is edited there."""

from kafo.response.models import Activity
from tests.response.conftest import ACTIVITY


def test_the_form_shows_and_keeps_people_of_unknown_sex(client, editor, demo_geography):
    client.force_login(editor)
    client.post("/response/activities/new/", {**ACTIVITY, "reached_unknown": "30"})
    activity = Activity.objects.get()
    assert activity.reached_unknown == 30 and activity.targeted_unknown == 0
    page = client.get(f"/response/activities/{activity.pk}/edit/").content.decode()
    assert 'name="reached_unknown" value="30"' in page
    assert 'name="targeted_unknown"' in page
    client.post(f"/response/activities/{activity.pk}/edit/", {**ACTIVITY, "reached_unknown": "30",
                                                              "reached_men": "6"})  # fmt: skip
    activity.refresh_from_db()
    assert (activity.reached_men, activity.reached_unknown) == (6, 30)
    assert activity.reached_total == 100 + 1 + 30
