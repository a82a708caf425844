"""A number past 64 bits, a date that is not one or a year out of range in a query
string is refused with 400 and the reason, on pages and in the API, before any database
sees it (SQLite raised OverflowError: a 500)."""

import pytest
from django.urls import reverse

from kafo.actors.models import Role

HUGE = "9" * 25


@pytest.mark.parametrize("url", [
    f"/mineaction/hazard/?organisation={HUGE}", f"/response/activities/?organisation={HUGE}",
    "/response/activities/?start=garbage", "/response/activities/?start=2024-02-30",
    "/situation/?year=abc", f"/response/needs/?year={HUGE}", "/mineaction/accident/?start=zz",
    "/funding/?start=zz", "/analysis/gaps/?end=31/12/2024",
])  # fmt: skip
def test_a_page_refuses_it_with_the_reason(client, user_with_role, demo_geography, url):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    response = client.get(url)
    assert response.status_code == 400
    name = url.split("?")[1].split("=")[0]
    assert name in response.content.decode()


def test_the_api_reads_digits_as_a_name_but_refuses_a_bad_date(
    client, user_with_role, demo_geography
):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    response = client.get(reverse("api:activity-list"), {"organisation": HUGE})
    assert response.status_code == 200  # digits may be a name in the API: read as text
    response = client.get(reverse("api:activity-list"), {"start": "2024-13-01"})
    assert response.status_code == 400 and "start" in response.json()


def test_good_values_pass(client, user_with_role, demo_geography):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    assert (
        client.get("/response/activities/", {"start": "2024-02-29", "end": ""}).status_code == 200
    )
    assert client.get("/situation/", {"year": "2024"}).status_code == 200
