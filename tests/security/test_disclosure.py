"""The one disclosure layer: clearance by role, rows, fields, generalised places."""

import dataclasses

import pytest

from kafo import sensitivity
from kafo.actors.models import Role
from kafo.mineaction.models import Accident, Victim
from kafo.security.disclosure import (
    PUBLIC_AUDIENCE,
    WITHHELD,
    Audience,
    disclose,
    disclosed_table,
    readable,
)
from kafo.sensitivity import Sensitivity


@pytest.mark.parametrize(
    ("role", "others", "own"),
    [
        (None, "PUBLIC", "PUBLIC"),
        (Role.DONOR_VIEWER, "PUBLIC", "PUBLIC"),
        (Role.PARTNER_VIEWER, "PARTNERS", "NATIONAL_IM"),
        (Role.PARTNER_EDITOR, "PARTNERS", "RESTRICTED"),
        (Role.COORDINATOR, "RESTRICTED", "RESTRICTED"),
    ],
)
def test_clearance_by_role_for_others_and_own_rows(role, others, own):
    viewer = Audience(role=role, organisation_id=7)
    assert viewer.clearance(8) == Sensitivity[others]
    assert viewer.clearance(7) == Sensitivity[own if role else "PUBLIC"]


def test_no_membership_means_the_public(db, django_user_model):
    user = django_user_model.objects.create_user("stranger", password="x-secret-pass-42")
    assert Audience.of(user) == PUBLIC_AUDIENCE


@pytest.fixture
def two_victims(mine_action, user_with_role, organisation):
    ours, theirs = organisation("HI"), organisation("DRC")
    editors = [user_with_role(Role.PARTNER_EDITOR, org) for org in (ours, theirs)]
    victims = [
        mine_action.victim(editor, mine_action.accident(editor), name=f"Personne {i}")
        for i, editor in enumerate(editors)
    ]
    return Audience(Role.PARTNER_EDITOR, ours.pk), victims


def test_fields_above_clearance_read_as_withheld(two_victims):
    viewer, (own, other) = two_victims
    assert disclose(viewer, own).name == "Personne 0"
    assert disclose(viewer, other).name is WITHHELD
    assert disclose(viewer, other).sex == "female"
    assert disclose(viewer, other).accident.place_description is WITHHELD  # related rows too
    place = disclose(viewer, other.accident)
    assert place.longitude.record == other.accident.admin_unit  # generalised to its unit


def test_exports_drop_columns_and_blank_cells(two_victims):
    viewer, (own, other) = two_victims
    columns, rows = disclosed_table(viewer, Victim.objects.order_by("pk"), ["reference", "name"])
    assert columns == ["reference", "name"]
    assert rows == [[own.reference, "Personne 0"], [other.reference, ""]]
    viewer_role = Audience(Role.PARTNER_VIEWER, viewer.organisation_id)
    assert disclosed_table(viewer_role, Victim.objects.all(), ["reference", "name"])[0] == [
        "reference"
    ]
    assert disclosed_table(PUBLIC_AUDIENCE, Accident.objects.all(), ["reference"])[1] == []


def test_a_policy_of_own_rows_only_hides_other_partners_rows(two_victims, monkeypatch):
    viewer, (own, _other) = two_victims
    narrowed = dataclasses.replace(sensitivity.policy_for(Victim), own_rows_only=True)
    monkeypatch.setitem(sensitivity._POLICIES, Victim, narrowed)
    assert list(readable(viewer, Victim.objects.all())) == [own]
    assert readable(Audience(Role.COORDINATOR, 999), Victim.objects.all()).count() == 2
