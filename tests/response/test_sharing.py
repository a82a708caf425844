"""An organisation offers a team; another asks to borrow it; the owner decides; the
sharing board shows what is still free."""

import datetime

import pytest

from kafo.actors.models import Role
from kafo.response.models import Loan, Resource

OFFER = {
    "kind": "eore_team", "name": "Équipe EER 2", "base": "ML0501", "capacity": "6",
    "capacity_unit": "séances/semaine", "offered": "on",
    "sharing_conditions": "carburant à la charge de l'emprunteur",
    "free_periods": "2030-01-01 2030-03-31\n2030-06-01 2030-06-30",
}  # fmt: skip


@pytest.fixture
def offered(client, editor, demo_geography):
    client.force_login(editor)
    response = client.post("/response/resources/new/", OFFER)
    resource = Resource.objects.get()
    assert response["Location"] == resource.get_absolute_url()
    return resource


def test_a_team_is_offered_with_its_free_periods(offered, client):
    assert offered.availability.count() == 2
    board = client.get("/response/resources/").content.decode()
    assert "Équipe EER 2" in board


def test_offering_needs_conditions_and_a_real_base(client, editor, demo_geography):
    client.force_login(editor)
    response = client.post(
        "/response/resources/new/",
        {
            **OFFER,
            "sharing_conditions": "",
            "base": "ML9999",
            "free_periods": "2030-02-01 2030-01-01",
        },
    )
    errors = response.context["form"].errors
    assert "conditions" in errors["sharing_conditions"][0]
    assert "p-code" in errors["base"][0]
    assert "la fin précède le début" in errors["free_periods"][0]
    assert not Resource.objects.exists()


def test_another_organisation_borrows_it_and_the_board_updates(
    offered, client, user_with_role, editor
):
    borrower = user_with_role(Role.PARTNER_EDITOR)
    client.force_login(borrower)
    url = f"/response/resources/{offered.pk}/request/"
    client.post(url, {"start": "2030-02-01", "end": "2030-02-15", "purpose": "Bandiagara"})
    loan = Loan.objects.get()
    assert (loan.status, loan.borrower) == ("requested", borrower.membership.organisation)
    outside = client.post(url, {"start": "2030-04-01", "end": "2030-04-10"}, follow=True)
    assert "n’est pas libre" in outside.content.decode()
    client.post(f"/response/loans/{loan.pk}/accept/")
    assert Loan.objects.get().status == "requested"  # only the owner decides
    client.force_login(editor)
    client.post(f"/response/loans/{loan.pk}/accept/")
    assert Loan.objects.get().status == "accepted"
    from kafo.response.sharing.calendar import free_periods

    assert free_periods(offered, datetime.date(2030, 1, 1))[:2] == [
        (datetime.date(2030, 1, 1), datetime.date(2030, 1, 31)),
        (datetime.date(2030, 2, 16), datetime.date(2030, 3, 31)),
    ]
    client.force_login(borrower)
    taken = client.post(url, {"start": "2030-02-10", "end": "2030-02-20"}, follow=True)
    assert "n’est pas libre" in taken.content.decode()


def test_an_organisation_cannot_borrow_its_own_resource(offered, client):
    response = client.post(f"/response/resources/{offered.pk}/request/",
                           {"start": "2030-02-01", "end": "2030-02-05"})  # fmt: skip
    assert response.status_code == 403


def test_the_board_map_shows_offered_resources_at_their_base(offered, client):
    import json

    [feature] = json.loads(client.get("/response/resources.geojson").content)["features"]
    base = offered.base
    assert feature["geometry"]["coordinates"] == [
        round(base.label_lon, 5),
        round(base.label_lat, 5),
    ]
