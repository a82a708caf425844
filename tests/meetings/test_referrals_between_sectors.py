"""Referrals from mine action to other sectors: recorded by an editor, followed by the
referring and receiving organisations until closed or declined, those waiting first;
the case itself is read only by its organisation and the coordination."""

import datetime

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.meetings.models import Referral

pytestmark = pytest.mark.django_db


def _refer(client, **values):
    data = {"source": "victim_assistance", "target": "health", "referred_on": "2025-04-02",
            "case_reference": "VA-2025-017", "summary": "Prothèse à ajuster", **values}  # fmt: skip
    return client.post(reverse("meetings:referral_new"), data)


def test_a_referral_is_followed_until_closed(client, user_with_role, organisation):
    hi, clinic = organisation("HI"), organisation("CSREF", kind="government")
    client.force_login(user_with_role(Role.PARTNER_EDITOR, hi, username="hi.va"))
    _refer(client, receiver=clinic.pk)
    referral = Referral.objects.get()
    assert (referral.organisation, referral.status) == (hi, "sent")
    # The receiving organisation accepts it, then closes it: the service was given.
    client.force_login(user_with_role(Role.PARTNER_EDITOR, clinic, username="csref"))
    url = reverse("meetings:referral_update", args=[referral.pk])
    client.post(url, {"status": "accepted"})
    client.post(url, {"status": "closed", "status_note": "Prothèse ajustée le 20 avril"})
    referral.refresh_from_db()
    assert (referral.status, referral.status_note) == ("closed", "Prothèse ajustée le 20 avril")
    # A third organisation may not.
    client.force_login(user_with_role(Role.PARTNER_EDITOR, organisation("MAG"), username="mag"))
    assert client.post(url, {"status": "declined"}).status_code == 403


def test_waiting_first_with_counts_and_the_case_kept_to_its_organisation(
    client, user_with_role, organisation
):
    hi = organisation("HI")
    client.force_login(user_with_role(Role.PARTNER_EDITOR, hi, username="hi.va"))
    _refer(client, case_reference="VA-OLD", referred_on="2025-01-05")
    _refer(client, case_reference="VA-NEW", target="education", referred_on="2025-03-01")
    Referral.objects.filter(case_reference="VA-NEW").update(status="closed")
    page = client.get(reverse("meetings:referrals")).content.decode()
    assert page.index("VA-OLD") < page.index("VA-NEW")  # still waiting: first
    client.force_login(user_with_role(Role.PARTNER_VIEWER, organisation("DRC"), username="lec"))
    other = client.get(reverse("meetings:referrals"))
    assert other.status_code == 200
    html = other.content.decode()
    assert "VA-OLD" not in html and "Prothèse" not in html  # restricted to HI and the coordination
    assert "Santé" in html or "Health" in html


def test_a_referral_from_the_future_or_an_unknown_place_is_refused(client, user_with_role,
                                                                   demo_geography):  # fmt: skip
    client.force_login(user_with_role(Role.PARTNER_EDITOR, username="hi.va"))
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    _refer(client, referred_on=tomorrow)
    _refer(client, pcode="XX999")
    assert not Referral.objects.exists()
    _refer(client, pcode="ml05")
    assert Referral.objects.get().admin_unit.pcode == "ML05"


def test_it_checks_access(client, user_with_role, organisation):
    client.force_login(user_with_role(Role.PARTNER_VIEWER, username="lecteur"))
    assert _refer(client).status_code == 403
    client.force_login(user_with_role(Role.DONOR_VIEWER, username="bailleur"))
    assert client.get(reverse("meetings:referrals")).status_code == 403
