"""The 5W and the needs come a page at a time (100 rows), each row on one page only, the
count of them all in the title and the filters kept in the pages' links."""

import re

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.paging import PER_PAGE
from kafo.response.models import Need
from tests.response.activities_made import make_activities


@pytest.fixture
def reader(client, demo_geography, user_with_role, organisation):
    hi = organisation("HI")
    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))
    return client, hi


def test_the_5w_list_comes_a_page_at_a_time(reader):
    client, hi = reader
    made = make_activities(hi, [AdminUnit.objects.get(pcode="ML0501")], PER_PAGE + 30)
    pages = [client.get(reverse("response:activities"), {"sector": "PRO-MIN", "page": n})
             .content.decode() for n in (1, 2)]  # fmt: skip
    links = [re.findall(r'href="/response/activities/(\d+)/"', page) for page in pages]
    assert [len(found) for found in links] == [PER_PAGE, 30]
    assert sorted(map(int, links[0] + links[1])) == sorted(a.pk for a in made)
    assert "(130)" in pages[0] and "Page 1 sur 2" in pages[0]
    assert 'href="?sector=PRO-MIN&amp;page=2"' in pages[0]


def test_the_needs_come_a_page_at_a_time(reader):
    client, _hi = reader
    cercles = list(AdminUnit.objects.filter(level=2))
    Need.objects.bulk_create(Need(admin_unit=unit, sector=sector, year=2025, in_need=7)
                             for unit in cercles for sector in ("EDU", "WASH", "HEA"))  # fmt: skip
    first = client.get(reverse("response:needs")).content.decode()
    last = client.get(reverse("response:needs"), {"page": "2"}).content.decode()
    assert "Page 1 sur 2" in first and "Page 2 sur 2" in last
    assert 'rel="next"' in first and 'rel="prev"' in last
