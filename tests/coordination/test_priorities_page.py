"""The priorities page: ranked hazards and units with each criterion's contribution; the
national authority edits the weights, nobody else."""

import json

from django.urls import reverse

from kafo.actors.models import Role
from kafo.mineaction.models import PriorityWeights


def test_it_checks_access(plain_client, client, user_with_role):
    assert plain_client.get(reverse("priorities")).status_code == 302
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    assert client.get(reverse("priorities")).status_code == 403
    assert client.get(reverse("priorities_geojson")).status_code == 403


def test_hazards_are_ranked_and_linked(client, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor, blockages=["road"])
    client.force_login(editor)
    page = client.get(reverse("priorities")).content.decode()
    assert reverse("mineaction:record", args=["hazard", hazard.reference]) in page
    features = json.loads(client.get(reverse("priorities_geojson")).content)["features"]
    assert any(f["properties"]["shade"] == 1 for f in features)


def test_the_authority_sets_the_weights(client, coordinator, db):
    client.force_login(coordinator)
    values = {"casualties": "0.5", "population": "0.1", "settlements": "0.1",
              "blockages": "0.2", "access": "0.1", "radius_km": "3"}  # fmt: skip
    client.post(reverse("priority_weights"), values)
    assert PriorityWeights.current().casualties == 0.5
    assert PriorityWeights.current().radius_km == 3
    assert "victimes des 12 derniers mois 0,5" in client.get(reverse("priorities")).content.decode()


def test_bad_weights_are_refused_with_a_reason(client, coordinator, db):
    client.force_login(coordinator)
    values = {"casualties": "-1", "population": "0", "settlements": "0", "blockages": "0",
              "access": "0", "radius_km": "500"}  # fmt: skip
    page = client.post(reverse("priority_weights"), values, follow=True).content.decode()
    assert PriorityWeights.objects.count() == 0
    assert "0 ou plus" in page and "entre 0 et 100" in page


def test_only_the_authority_sets_the_weights(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    values = {"casualties": "1", "population": "0", "settlements": "0", "blockages": "0",
              "access": "0", "radius_km": "5"}  # fmt: skip
    assert client.post(reverse("priority_weights"), values).status_code == 403
    assert PriorityWeights.objects.count() == 0
