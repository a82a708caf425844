"""A partner reports its 5W; bad values get clear errors and change nothing."""

import pytest

from kafo.response.models import Activity, ActivityParticipant
from tests.response.conftest import ACTIVITY


def test_a_partner_reports_an_activity_with_its_places_roles_and_shares(
    client, editor, demo_geography, strategy, organisation
):
    echo = organisation("ECHO", "donor")
    client.force_login(editor)
    response = client.post(
        "/response/activities/new/",
        {**ACTIVITY, "funding": [echo.pk], "splits_text": "P1.1 ; 60\nP2 ; 40"},
    )
    activity = Activity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    assert activity.organisation == editor.membership.organisation
    assert [u.pcode for u in activity.locations.order_by("pcode")] == ["ML0501", "ML0504"]
    roles = set(ActivityParticipant.objects.values_list("organisation__acronym", "role"))
    assert roles == {("ECHO", "1"), ("HI", "4")}
    assert sorted(activity.objectives.values_list("objective__code", "percentage")) == [
        ("P1.1", 60),
        ("P2", 40),
    ]
    assert activity.reached_total == 100
    page = client.get(activity.get_absolute_url()).getvalue().decode()
    assert "Sévaré" in page and "P1.1" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"location_pcodes": "ML0501 ML9999"}, "location_pcodes", "P-codes inconnus"),
        ({"planned_end": "2024-12-31"}, "planned_end", "précède le début"),
        ({"splits_text": "P1 ; 60\nP2 ; 30"}, "splits_text", "totalisent 90 %"),
        ({"reached_girls": "-3"}, "reached_girls", "supérieure ou égale à 0"),
        ({"sector": "WSH"}, "activity_type", "choisissez le secteur PRO-MIN"),
        ({"currency": "CFA"}, "currency", "ISO 4217"),
        ({"points_text": "14.5 -4.2"}, "points_text", "inversées"),
        ({"references_text": "EORE-999999"}, "references_text", "EORE-999999"),
    ],
    ids=["pcode", "dates", "splits", "negative", "sector", "currency", "points", "reference"],
)
def test_bad_values_are_explained_and_nothing_is_saved(
    client, editor, demo_geography, strategy, change, field, message
):
    client.force_login(editor)
    response = client.post("/response/activities/new/", {**ACTIVITY, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Activity.objects.exists()


def test_the_5w_exports_to_hxl_with_pcodes(client, editor, demo_geography, strategy):
    client.force_login(editor)
    client.post("/response/activities/new/", ACTIVITY)
    rows = (
        client.get("/response/activities/export/?format=hxl")
        .getvalue()
        .decode("utf-8-sig")
        .splitlines()
    )
    # HXL 1.1: one column per admin level, the activity's units of each level in it.
    assert rows[2].startswith("#activity+id+x_kafo,#org+impl+name")
    assert rows[2].endswith("#adm1+code,#adm2+code")
    assert rows[3].endswith("ML05,ML0501 ML0504")
