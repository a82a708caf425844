"""The duplications page: clusters of overlapping records, each record linked."""

import datetime

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity

D = datetime.date


@pytest.fixture
def planted(demo_geography, organisation):
    mopti = AdminUnit.objects.get(pcode="ML0501")
    made = []
    for org, start, groups in (("HI", D(2025, 1, 1), {"reached_girls": 10}),
                               ("DRC", D(2025, 3, 1), {"reached_girls": 5}),
                               ("MAG", D(2024, 1, 1), {"reached_men": 5})):  # fmt: skip
        activity = Activity.objects.create(
            organisation=organisation(org), title=f"EER {org}", sector="PRO-MIN",
            activity_type="EORE", planned_start=start, planned_end=start.replace(month=6),
            source_id=f"5W-{org}", **groups,
        )  # fmt: skip
        activity.locations.set([mopti])
        made.append(activity)
    return made


def test_it_checks_access(plain_client, client, planted, user_with_role):
    assert plain_client.get(reverse("duplicates")).status_code == 302
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    assert client.get(reverse("duplicates")).status_code == 403


def test_overlapping_records_are_clustered_and_linked(client, planted, user_with_role):
    hi, _drc, _mag = planted
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    page = client.get(reverse("duplicates")).content.decode()
    assert "5W-HI" in page and "5W-DRC" in page and "Doublon probable" in page
    assert reverse("response:activity", args=[hi.pk]) in page
    assert "5W-MAG" not in page  # 2024: the periods do not overlap


def test_filters_narrow_the_clusters(client, planted, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    page = client.get(reverse("duplicates"), {"sector": "EDU"}).content.decode()
    assert "5W-HI" not in page
    assert client.get(reverse("duplicates"), {"radius": "-3"}).status_code == 400
    assert client.get(reverse("duplicates"), {"start": "hier"}).status_code == 400
