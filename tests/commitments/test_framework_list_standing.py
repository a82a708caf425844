"""The list of frameworks says where each stands, as its own page does (the same
figures as the roll-up), in a number of queries that does not grow with the frameworks."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kafo.actors.demo import create_demo_actors
from kafo.actors.models import Role
from kafo.commitments.demo import create_demo_commitments
from kafo.commitments.models import CommitmentFramework
from kafo.commitments.rollup import overall_by_framework, rollup
from kafo.funding.demo import create_demo_funding
from kafo.response.demo import create_demo_response


def _demo():
    create_demo_actors()
    create_demo_response()
    create_demo_funding()
    create_demo_commitments()


def test_each_framework_stands_as_its_roll_up_says(demo_geography):
    _demo()
    empty = CommitmentFramework.objects.create(name="Feuille de route vide", kind="roadmap")
    frameworks = list(CommitmentFramework.objects.all())
    overall = overall_by_framework(frameworks)
    assert set(overall) == {f.pk for f in frameworks}
    for framework in frameworks:
        assert overall[framework.pk] == rollup(framework)["overall"], framework.name
    agreement = next(f for f in frameworks if f.kind == "agreement")
    assert overall[agreement.pk]["total"] == 5
    assert overall[empty.pk]["total"] == 0 and overall[empty.pk]["mean_score"] is None


def test_the_list_asks_the_same_queries_for_more_frameworks(client, user_with_role,
                                                            demo_geography):  # fmt: skip
    _demo()
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    client.get(reverse("commitments:frameworks"))
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("commitments:frameworks"))
    for n in range(3):
        CommitmentFramework.objects.create(name=f"Résolution {n}", kind="resolution")
    with CaptureQueriesContext(connection) as eight:
        page = client.get(reverse("commitments:frameworks"))
    assert len(eight.captured_queries) == len(five.captured_queries)
    assert page.content.decode().count("Résolution ") >= 3
