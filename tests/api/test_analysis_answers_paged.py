"""An analysis' answer through the API does not grow with the data: each of its lists is
paged (`limit`, `offset`), `paging` says how long each list is, and following `next` to
its end gives back the whole answer, the one `kafo analyse` prints."""

import json
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from kafo.api.pagination import ANSWER_MAX_LIMIT

pytestmark = pytest.mark.django_db
GAPS = "/api/v1/analysis/gaps/"


@pytest.fixture
def coordination(client, coordinator):
    client.force_login(coordinator)
    return client


def _whole(name: str, *args: str) -> dict:
    out = StringIO()
    call_command("analyse", name, *args, "--format", "json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_following_next_gives_the_whole_answer(demo_loaded, coordination):
    whole = _whole("gaps")
    assert len(whole["units"]) > 7  # else the test pages nothing
    first = coordination.get(GAPS, {"limit": 3}).json()
    assert first["paging"]["listed"] == {"units": len(whole["units"]),
                                         "imprecise": len(whole["imprecise"])}  # fmt: skip
    assert first["paging"]["previous"] is None and len(first["units"]) == 3
    joined, page, pages = {"units": [], "imprecise": []}, first, 0
    while True:
        pages += 1
        for key in joined:
            joined[key] += page[key]
        if page["paging"]["next"] is None:
            break
        page = coordination.get(page["paging"]["next"]).json()
    assert pages == -(-max(len(whole["units"]), len(whole["imprecise"])) // 3)
    assert joined == {"units": whole["units"], "imprecise": whole["imprecise"]}
    assert page["level"] == 2 and page["imprecise_count"] == whole["imprecise_count"]


def test_the_links_carry_the_options_only(demo_loaded, coordination):
    answer = coordination.get(GAPS, {"level": 2, "limit": 2, "name": "Awa Traoré"}).json()
    query = parse_qs(urlsplit(answer["paging"]["next"]).query)
    assert query == {"level": ["2"], "limit": ["2"], "offset": ["2"]}
    second = coordination.get(answer["paging"]["next"]).json()
    assert parse_qs(urlsplit(second["paging"]["previous"]).query)["offset"] == ["0"]


def test_a_bad_limit_or_offset_is_refused_with_the_reason(demo_loaded, coordination):
    for params in ({"limit": 0}, {"limit": "dix"}, {"limit": ANSWER_MAX_LIMIT + 1},
                   {"offset": -1}):  # fmt: skip
        response = coordination.get(GAPS, params)
        assert response.status_code == 400, params
        [name] = response.json()
        assert name in params


def test_a_long_list_is_cut_by_default(demo_loaded, coordination, monkeypatch):
    from kafo.api import pagination

    monkeypatch.setattr(pagination, "ANSWER_LIMIT", 4)
    answer = coordination.get(GAPS).json()
    assert len(answer["units"]) == 4 < answer["paging"]["listed"]["units"]
    assert answer["paging"]["limit"] == 4 and answer["paging"]["next"]
