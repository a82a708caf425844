"""Community pages: register a focal point with consent, log engagements, receive an alert
that becomes an indication, follow alerts, see the coverage; consent and sensitivity
enforced; bad input refused with a reason."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.communities.models import Alert, Consent, Engagement, FocalPoint
from kafo.mineaction.models import FieldReport

TODAY = datetime.date.today()
# An alert cannot come from the future: two hours ago, whatever the time of the run.
BAMAKO = ZoneInfo("Africa/Bamako")  # the platform's TIME_ZONE
EARLIER = (datetime.datetime.now(BAMAKO) - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
VALID = {"name": "Imam Koné", "role": "imam", "pcode": "ML0501", "languages": ["ff", "fr"],
         "channels": ["phone", "sms"], "phone": "76 00 00 01", "affiliation": "Mosquée",
         "consent_given_on": TODAY.isoformat(), "consent_scope": ["contact", "sms"],
         "active": "on"}  # fmt: skip


@pytest.fixture
def editor(demo_geography, user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


def test_it_checks_access(plain_client, client, editor, user_with_role):
    assert plain_client.get(reverse("communities:directory")).status_code == 302
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    for name in ("communities:directory", "communities:alerts", "community_coverage"):
        assert client.get(reverse(name)).status_code == 403
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get(reverse("communities:focal_point_new")).status_code == 403


def test_register_with_consent_then_log_and_alert(client, editor):
    client.force_login(editor)
    response = client.post(reverse("communities:focal_point_new"), VALID)
    point = FocalPoint.objects.get()
    assert response["Location"] == reverse("communities:focal_point", args=[point.pk])
    assert point.phone == "+22376000001" and point.organisation == editor.membership.organisation
    assert Consent.objects.get().scope == ["contact", "sms"]
    add = "communities:focal_point_add"
    client.post(reverse(add, args=[point.pk, "engagement"]),
                {"kind": "eore_relay", "date": TODAY.isoformat(), "pcode": "ML0501"})  # fmt: skip
    assert Engagement.objects.get().kind == "eore_relay"
    page = client.post(reverse(add, args=[point.pk, "engagement"]), {
        "kind": "eore_relay", "date": TODAY.isoformat(), "pcode": "ML0501",
        "eore_reference": "EER-999"}, follow=True).content.decode()  # fmt: skip
    assert "EER-999" in page and Engagement.objects.count() == 1
    client.post(reverse(add, args=[point.pk, "alert"]), {
        "kind": "object", "channel": "phone", "pcode": "ML0501", "device": "erw_uxo",
        "reported_at": EARLIER, "description": "Obus au marché"})  # fmt: skip
    alert = Alert.objects.get()
    report = FieldReport.objects.get(reference=alert.field_report)
    assert report.data["classification"] == "indication"
    page = client.get(reverse("communities:alerts")).content.decode()
    assert alert.field_report in page
    client.post(reverse("communities:alert_outcome", args=[alert.pk]), {"status": "verified"})
    alert.refresh_from_db()
    assert alert.status == "verified" and alert.response_hours is not None
    client.post(reverse(add, args=[point.pk, "withdraw"]),
                {"consent": Consent.objects.get().pk})  # fmt: skip
    assert "ne pas contacter" in client.get(reverse("communities:directory")).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [({"pcode": "ML9999"}, "ML9999"), ({"consent_scope": []}, "consentement"),
     ({"phone": "12-34"}, "12-34"), ({"languages": []}, "obligatoire")],
)  # fmt: skip
def test_bad_input_is_refused_with_a_reason(client, editor, change, message):
    client.force_login(editor)
    response = client.post(reverse("communities:focal_point_new"), {**VALID, **change})
    assert response.status_code == 400 and message in response.content.decode()
    assert not FocalPoint.objects.exists()


def test_another_partner_sees_neither_the_row_nor_the_name(client, editor, user_with_role,
                                                           organisation):  # fmt: skip
    client.force_login(editor)
    client.post(reverse("communities:focal_point_new"), VALID)
    point = FocalPoint.objects.get()
    other = user_with_role(Role.PARTNER_EDITOR, organisation("DRC"))
    client.force_login(other)
    assert client.get(reverse("communities:focal_point", args=[point.pk])).status_code == 404
    assert "Imam Koné" not in client.get(reverse("communities:directory")).content.decode()
    point.shared = True
    point.save()
    page = client.get(reverse("communities:focal_point", args=[point.pk])).content.decode()
    assert "Imam Koné" not in page and "(restreint)" in page and "+22376000001" not in page
    assert client.post(reverse("communities:focal_point_add", args=[point.pk, "consent"]),
                       {}).status_code == 403  # fmt: skip


def test_the_coverage_page_and_map(client, editor):
    client.force_login(editor)
    assert "Couverture" in client.get(reverse("community_coverage")).content.decode()
    response = client.get(reverse("community_coverage_geojson"), {"level": "2"})
    assert response.json()["type"] == "FeatureCollection"


def test_the_coordinator_sees_waiting_alerts_on_the_home_page(client, editor, coordinator):
    from django.utils import timezone

    point = FocalPoint.objects.create(name="Chef", role="village_chief", languages=["bm"],
                                      admin_unit=__import__("kafo.geo.models", fromlist=["x"])
                                      .AdminUnit.objects.get(pcode="ML0501"),
                                      organisation=editor.membership.organisation)  # fmt: skip
    Alert.objects.create(focal_point=point, organisation=point.organisation, kind="object",
                         channel="phone", admin_unit=point.admin_unit, description="x",
                         reported_at=timezone.now() - datetime.timedelta(days=5))  # fmt: skip
    client.force_login(coordinator)
    assert "1 alerte communautaire attend" in client.get(reverse("home")).content.decode()


def test_an_alert_its_report_cannot_take_is_not_kept(client, editor):
    client.force_login(editor)
    client.post(reverse("communities:focal_point_new"), VALID)
    point = FocalPoint.objects.get()
    # A point far outside Mali: the field report refuses it, so the alert is not kept either.
    page = client.post(reverse("communities:focal_point_add", args=[point.pk, "alert"]), {
        "kind": "object", "channel": "phone", "pcode": "ML0501", "device": "erw_uxo",
        "reported_at": EARLIER, "description": "Obus",
        "longitude": "120", "latitude": "60"}, follow=True).content.decode()  # fmt: skip
    assert "Alerte non enregistrée" in page
    assert not Alert.objects.exists() and not FieldReport.objects.exists()
