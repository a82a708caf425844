"""An alert's outcome has no default (one click must not dismiss a report of a suspicious
object), and only the alert's organisation or the coordination records it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kafo.actors.models import Role
from kafo.communities.models import Alert
from kafo.geo.models import AdminUnit


@pytest.fixture
def alert(demo_geography, organisation):
    from kafo.communities.models import FocalPoint

    hi = organisation("HI")
    unit = AdminUnit.objects.get(pcode="ML0501")
    point = FocalPoint.objects.create(name="Imam", role="imam", admin_unit=unit, organisation=hi,
                                      languages=["fr"], channels=["phone"])  # fmt: skip
    return Alert.objects.create(
        focal_point=point, organisation=hi, kind="object", channel="phone",
        admin_unit=AdminUnit.objects.get(pcode="ML0501"), reported_at=timezone.now(),
        description="Obus au marché",
    )  # fmt: skip


def test_the_outcome_menu_has_no_default(client, alert, user_with_role, organisation):
    client.force_login(user_with_role(Role.PARTNER_EDITOR, alert.organisation))
    page = client.get(reverse("communities:alerts")).content.decode()
    assert ">Enregistrer</button>" in page  # the verb, not the noun "Enregistrement"
    menu = page.split('name="status"')[1].split("</select>")[0]
    assert (
        '<option value="" selected>' in menu and "required" in page.split('name="status"')[1][:40]
    )
    client.post(reverse("communities:alert_outcome", args=[alert.pk]), {"status": ""})
    alert.refresh_from_db()
    assert alert.status == "received" and alert.outcome_at is None


def test_another_organisation_cannot_record_the_outcome(client, alert, user_with_role,
                                                        organisation):  # fmt: skip
    drc = user_with_role(Role.PARTNER_EDITOR, organisation("DRC"))
    client.force_login(drc)
    page = client.get(reverse("communities:alerts")).content.decode()
    assert 'name="status"' not in page  # no form for another organisation's alert
    response = client.post(reverse("communities:alert_outcome", args=[alert.pk]),
                           {"status": "dismissed"})  # fmt: skip
    alert.refresh_from_db()
    assert response.status_code in (403, 404) and alert.status == "received"


def test_the_coordination_records_it(client, alert, coordinator):
    client.force_login(coordinator)
    client.post(reverse("communities:alert_outcome", args=[alert.pk]), {"status": "verified"})
    alert.refresh_from_db()
    assert alert.status == "verified"
