"""One person cannot occupy every worker with analyses or plans: so many a minute, one
at a time; past it a 429 with the reason, in French on pages and as JSON in the API."""

import pytest
from django.urls import reverse

from kafo.actors.models import Role


@pytest.fixture
def limit(settings, monkeypatch):
    # One minute for the whole test: a count that crosses into the next minute starts again.
    monkeypatch.setattr("kafo.security.limits.clock", lambda: 1_800_000_030.0)
    settings.KAFO_HEAVY_PER_MINUTE = 3
    yield


def test_past_the_limit_a_page_says_why_and_when(client, user_with_role, demo_geography, limit):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    answers = [client.get(reverse("gaps")) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert (
        "par minute" in answers[-1].content.decode() or "a minute" in answers[-1].content.decode()
    )
    assert int(answers[-1]["Retry-After"]) <= 60


def test_each_person_has_their_own_share(client, user_with_role, demo_geography, limit):
    first, second = user_with_role(Role.PARTNER_VIEWER), user_with_role(Role.PARTNER_EDITOR)
    client.force_login(first)
    for _ in range(3):
        client.get(reverse("equity"))
    assert client.get(reverse("equity")).status_code == 429
    client.force_login(second)
    assert client.get(reverse("equity")).status_code == 200


def test_the_api_answers_429_as_json(client, user_with_role, demo_geography, limit):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    for _ in range(3):
        client.get(reverse("api:analysis-detail", args=["gaps"]))
    answer = client.get(reverse("api:analysis-detail", args=["gaps"]))
    assert answer.status_code == 429 and answer.json()["detail"]


def test_only_a_few_at_once(rf, user_with_role, db, limit, settings):
    from kafo.security.limits import heavy

    settings.KAFO_HEAVY_AT_ONCE = 1
    user = user_with_role(Role.PARTNER_VIEWER)
    inner = []

    @heavy
    def view(request):
        request_again = rf.get("/analysis/gaps/")
        request_again.user = user
        inner.append(view(request_again).status_code)  # while the first still computes
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = rf.get("/analysis/gaps/")
    request.user = user
    assert view(request).status_code == 200 and inner == [429]
