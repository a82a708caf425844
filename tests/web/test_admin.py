import pytest

from kafo.actors.models import Role

pytestmark = pytest.mark.django_db

REFERENCE_PAGES = [
    "/admin/geo/codversion/",
    "/admin/geo/adminunit/",
    "/admin/actors/organisation/",
    "/admin/actors/membership/",
    "/admin/response/framework/",
    "/admin/response/objective/",
    "/admin/currencies/exchangerate/",
    "/admin/security/auditevent/",
    "/admin/security/retentionrule/",
]


def test_it_checks_access(client, user_with_role):
    for url in REFERENCE_PAGES:
        assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    for url in REFERENCE_PAGES:
        assert client.get(url)["Location"].startswith("/admin/login/")


def test_the_coordinator_maintains_reference_data(client, demo_geography):
    from kafo.actors.demo import create_demo_actors
    from kafo.geo.models import AdminUnit

    create_demo_actors()
    client.login(username="coordination", password="kafo-demo")
    for url in REFERENCE_PAGES:
        assert client.get(url).status_code == 200, url
    unit = AdminUnit.objects.get(pcode="ML05")
    page = client.get(f"/admin/geo/adminunit/{unit.pk}/change/")
    assert page.status_code == 200 and "Mopti" in page.content.decode()
    search = client.get("/admin/actors/organisation/", {"q": "HI"})
    assert "Humanité &amp; Inclusion" in search.content.decode()


def test_the_admin_speaks_kafo_s_language(client, demo_geography):
    from kafo.actors.demo import create_demo_actors

    create_demo_actors()
    client.login(username="coordination", password="kafo-demo")
    page = client.get("/admin/").content.decode()
    assert "Administration de Django" not in page and "OTP_TOTP" not in page
    assert "Kafo · données de référence" in page


def test_the_exchange_rates_old_admin_address_leads_to_the_new_one(client, coordinator):
    client.force_login(coordinator)
    answer = client.get("/admin/funding/exchangerate/add/")
    assert answer.status_code == 301
    assert answer["Location"] == "/admin/currencies/exchangerate/add/"
