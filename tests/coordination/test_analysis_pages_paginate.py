"""Analysis pages stay small whatever the data: the gaps table and the duplications'
clusters come a page at a time, every row on exactly one page, and a cluster links its
first records and counts the others."""

import datetime
import re

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.coordination.pages import CLUSTERS_PER_PAGE, RECORDS_SHOWN
from kafo.geo.models import AdminUnit
from kafo.paging import PER_PAGE
from kafo.response.models import Activity, Need

D = datetime.date
SECTORS = ("PRO-MIN", "EDU", "WASH")


@pytest.fixture
def viewer(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    return client


@pytest.fixture
def needs_everywhere(demo_geography):
    cercles = list(AdminUnit.objects.filter(level=2))
    Need.objects.bulk_create(
        Need(admin_unit=unit, sector=sector, year=2025, in_need=100 + i)
        for i, unit in enumerate(cercles) for sector in SECTORS
    )  # fmt: skip
    return len(cercles) * len(SECTORS)


def _gap_rows(page: str) -> list[str]:
    return re.findall(r'<tr class="gap-[a-z_]+"><td>[^<]*<small>(ML\d+)</small>', page)


def test_the_gaps_table_comes_a_page_at_a_time(viewer, needs_everywhere):
    assert needs_everywhere > PER_PAGE
    first = viewer.get(reverse("gaps"), {"level": "2", "end": "2025-12-31"}).content.decode()
    assert len(_gap_rows(first)) == PER_PAGE
    assert "Page 1 sur 2" in first
    assert 'href="?level=2&amp;end=2025-12-31&amp;page=2"' in first
    second = viewer.get(reverse("gaps"), {"level": "2", "end": "2025-12-31", "page": "2"})
    rows = _gap_rows(first) + _gap_rows(second.content.decode())
    assert len(rows) == needs_everywhere  # each (unit, sector) row once over the pages
    assert sorted(set(rows)) == sorted(AdminUnit.objects.filter(level=2)
                                       .values_list("pcode", flat=True))  # fmt: skip


def test_a_page_number_out_of_range_shows_the_nearest_page(viewer, needs_everywhere):
    for asked, shown in (("99", "Page 2 sur 2"), ("abc", "Page 1 sur 2"), ("0", "Page 2 sur 2")):
        page = viewer.get(reverse("gaps"), {"level": "2", "page": asked})
        assert page.status_code == 200 and shown in page.content.decode()


def test_the_duplications_come_a_page_at_a_time(viewer, demo_geography, organisation):
    mopti = AdminUnit.objects.get(pcode="ML0501")
    hi, drc = organisation("HI"), organisation("DRC")
    made = []
    # Clusters of two, each over its own ten days; one cluster of RECORDS_SHOWN + 5.
    for n in range(CLUSTERS_PER_PAGE + 4):
        start = D(2020, 1, 1) + datetime.timedelta(days=10 * n)
        for org in (hi, drc):
            made.append(Activity(organisation=org, title=f"EER {n}", sector="PRO-MIN",
                                 activity_type="EORE", planned_start=start,
                                 planned_end=start + datetime.timedelta(days=5),
                                 source_id=f"P{n}-{org.acronym}"))  # fmt: skip
    big = D(2024, 1, 1)
    for n in range(RECORDS_SHOWN + 5):
        made.append(Activity(organisation=hi, title="Clearance", sector="PRO-MIN",
                             activity_type="CLR", planned_start=big,
                             planned_end=big.replace(month=6),
                             source_id=f"BIG-{n:02d}"))  # fmt: skip
    for activity in Activity.objects.bulk_create(made):
        activity.locations.set([mopti])
    first = viewer.get(reverse("duplicates")).content.decode()
    second = viewer.get(reverse("duplicates"), {"page": "2"}).content.decode()
    clusters = CLUSTERS_PER_PAGE + 4 + 1
    assert f"{clusters} grappes" in first
    shown = [re.findall(r">(P\d+-HI)</a>", page) for page in (first, second)]
    assert len(shown[0]) + len(shown[1]) == CLUSTERS_PER_PAGE + 4
    assert not set(shown[0]) & set(shown[1])
    both = first + second
    assert len(re.findall(r">BIG-\d\d</a>", both)) == RECORDS_SHOWN
    assert "et 5 autres" in both
