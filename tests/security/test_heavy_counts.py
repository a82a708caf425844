"""The counts behind the limit of heavy requests: one atomic statement each, a count past
its time starts again, a request that fails still gives its place back, and counts past
their time are forgotten."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from kafo.actors.models import Role
from kafo.security import limits
from kafo.security.models import HeavyCount

NOW = 1_800_000_030.0


@pytest.fixture
def clock(monkeypatch):
    now = [NOW]
    monkeypatch.setattr("kafo.security.limits.clock", lambda: now[0])
    return now


def test_each_request_adds_one_in_one_statement(db, clock):
    with CaptureQueriesContext(connection) as queries:
        counts = [limits._add_one("kafo:heavy:user:1:running", 120) for _ in range(3)]
    assert counts == [1, 2, 3]
    # The first of a minute also forgets the old counts; the others are one upsert each.
    assert len(queries.captured_queries) == 4
    assert HeavyCount.objects.get(name="kafo:heavy:user:1:running").count == 3


def test_a_count_past_its_time_starts_again(db, clock):
    limits._add_one("kafo:heavy:user:1:running", 120)
    limits._add_one("kafo:heavy:user:1:running", 120)
    clock[0] += 121
    assert limits._add_one("kafo:heavy:user:1:running", 120) == 1


def test_counts_past_their_time_are_forgotten(db, clock):
    limits._add_one("kafo:heavy:user:1:29999999", 120)
    clock[0] += 300
    limits._add_one("kafo:heavy:user:2:30000004", 120)
    assert list(HeavyCount.objects.values_list("name", flat=True)) == ["kafo:heavy:user:2:30000004"]


def test_a_request_that_fails_gives_its_place_back(rf, user_with_role, db, clock):
    user = user_with_role(Role.PARTNER_VIEWER)

    @limits.heavy
    def failing(request):
        raise RuntimeError("the engine failed")

    @limits.heavy
    def working(request):
        return HttpResponse("ok")

    request = rf.get("/analysis/gaps/")
    request.user = user
    with pytest.raises(RuntimeError):
        failing(request)
    assert HeavyCount.objects.get(name=f"kafo:heavy:user:{user.pk}:running").count == 0
    assert working(request).status_code == 200
    assert HeavyCount.objects.get(name=f"kafo:heavy:user:{user.pk}:running").count == 0
    minute = f"kafo:heavy:user:{user.pk}:{int(NOW // 60)}"
    assert HeavyCount.objects.get(name=minute).count == 2
