"""Each objective's target against what its tagged activities (and those of the
objectives under it) achieved, weighted by their shares."""

from decimal import Decimal

from kafo.response.models import Activity, ActivityObjective
from kafo.response.strategies.progress import achievements


def test_achieved_people_are_weighted_by_share_and_roll_up(editor, strategy):
    framework, pillar, target, other = strategy
    activity = Activity.objects.create(
        organisation=editor.membership.organisation, title="EER", sector="PRO-MIN",
        activity_type="EORE", reached_girls=100, reached_women=100, status="completed",
    )  # fmt: skip
    ActivityObjective.objects.create(activity=activity, objective=target, percentage=60)
    ActivityObjective.objects.create(activity=activity, objective=other, percentage=40)
    achieved = achievements(framework)
    assert achieved[target.pk]["people_reached"] == Decimal(120)
    assert achieved[pillar.pk]["people_reached"] == Decimal(120)  # P1.1 is under P1
    assert achieved[other.pk]["people_reached"] == Decimal(80)
    assert achieved[other.pk]["activities_completed"] == Decimal("0.40")


def test_the_strategy_page_shows_target_and_achieved(client, editor, strategy):
    framework, _pillar, target, _other = strategy
    activity = Activity.objects.create(
        organisation=editor.membership.organisation, title="EER", sector="PRO-MIN",
        activity_type="EORE", reached_men=250,
    )  # fmt: skip
    ActivityObjective.objects.create(activity=activity, objective=target, percentage=100)
    client.force_login(editor)
    page = client.get(framework.get_absolute_url())
    rows = {row["objective"].code: row for row in page.context["rows"]}
    assert rows["P1.1"]["indicators"][0]["achieved"] == 250
    assert rows["P1.1"]["indicators"][0]["ratio"] == 50


def test_the_coordination_builds_a_strategy_in_kafo(client, coordinator):
    from kafo.response.models import Framework, Indicator, Objective

    client.force_login(coordinator)
    client.post("/response/strategies/new/", {"kind": "mine_action_strategy", "name": "SNLAM",
                                              "start_year": 2025, "end_year": 2029})  # fmt: skip
    framework = Framework.objects.get()
    url = f"/response/strategies/{framework.pk}/add/"
    client.post(url + "objective/", {"code": "P1", "level": "pillar", "title": "EER"})
    client.post(url + "objective/", {"code": "P1.1", "level": "target", "title": "Écoles",
                                     "parent_code": "P1"})  # fmt: skip
    bad = client.post(url + "objective/", {"code": "P1", "level": "pillar", "title": "x"},
                      follow=True)  # fmt: skip
    assert "déjà utilisé" in bad.content.decode()
    orphan = client.post(url + "objective/", {"code": "P9", "level": "target", "title": "x",
                                              "parent_code": "P7"}, follow=True)  # fmt: skip
    assert "Aucun objectif P7" in orphan.content.decode()
    indicator = {"objective_code": "P1.1", "name": "Élèves", "measure": "people_reached",
                 "baseline": 0, "target": 5000}  # fmt: skip
    client.post(url + "indicator/", indicator)
    assert Objective.objects.get(code="P1.1").parent.code == "P1"
    assert Indicator.objects.get().objective.code == "P1.1"
    assert Objective.objects.count() == 2
