"""The share of meeting attendance and of co-lead roles held by national and local
actors, by the Grand Bargain's categories (given, or implied by the organisation's type;
an internationally affiliated national organisation is not local)."""

import pytest

from kafo.meetings.models import Attendance, CoordinationBody
from kafo.meetings.services import attendance_share, co_lead_share

pytestmark = pytest.mark.django_db


def test_attendance_share_counts_only_known_categories(meeting, organisation):
    amsode = organisation("AMSODE", kind="national_ngo")
    hi = organisation("HI2", kind="international_ngo")
    affiliated = organisation("CARE-ML", kind="national_ngo", localisation="affiliated_national")
    red_cross = organisation("CR", kind="red_cross")  # the type does not tell
    for name, org in [("a", amsode), ("b", amsode), ("c", hi), ("d", affiliated),
                      ("e", red_cross), ("f", None)]:  # fmt: skip
        Attendance.objects.create(meeting=meeting, name=name, organisation=org)
    share = attendance_share(Attendance.objects.all())
    assert (share.national_or_local, share.known, share.unknown) == (2, 4, 2)
    assert share.share == 0.5


def test_co_lead_share(body, organisation):
    # The fixture's body: led by CNLPAL (national authority), co-led by HI (international).
    share = co_lead_share(CoordinationBody.objects.all())
    assert (share.national_or_local, share.known, share.unknown) == (1, 2, 0)
    body.co_leads.add(organisation("AMSODE", kind="national_ngo"))
    old_lead = organisation("X", kind="national_ngo")
    CoordinationBody.objects.create(name="Ancien groupe", kind="working_group", lead=old_lead,
                                    active=False)  # fmt: skip
    share = co_lead_share(CoordinationBody.objects.all())
    assert (share.national_or_local, share.known) == (2, 3)  # the inactive body aside
