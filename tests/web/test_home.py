import pytest
from django.urls import reverse

from kafo.actors.models import Role

pytestmark = pytest.mark.django_db


def test_it_checks_access(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/"


def test_the_login_page_is_open_and_in_french(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="fr">' in page
    assert "Se connecter à Kafo" in page


def test_logging_in_leads_to_the_map(client, user_with_role, demo_geography):
    user_with_role(Role.PARTNER_EDITOR, username="awa")
    response = client.post(
        reverse("login"), {"username": "awa", "password": "secret-pass-42"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    page = response.content.decode()
    assert 'id="home-map"' in page and "data-geojson=" in page
    assert "Mopti" in page


def test_a_wrong_password_is_refused_with_a_clear_message(client, user_with_role):
    user_with_role(Role.PARTNER_EDITOR, username="awa")
    response = client.post(reverse("login"), {"username": "awa", "password": "nope"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_demo_boundaries_are_labelled(client, user_with_role, demo_geography):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    page = client.get(reverse("home")).content.decode()
    assert "kafo import-boundaries" in page and 'class="demo-banner"' in page


def test_real_boundaries_carry_no_demo_label(client, user_with_role, tiny_cod):
    from kafo.geo.importing import import_boundaries

    import_boundaries(tiny_cod, "2024")
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert 'class="demo-banner"' not in client.get(reverse("home")).content.decode()


def test_an_empty_platform_says_how_to_start(client, user_with_role):
    client.force_login(user_with_role(Role.COORDINATOR))
    page = client.get(reverse("home")).content.decode()
    assert "kafo import-boundaries" in page and "kafo demo" in page


def test_the_language_switch_is_on_every_page_and_works(client, user_with_role, demo_geography):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    for url in [reverse("home"), reverse("actors:list"), reverse("geo:index")]:
        assert 'name="language" value="en"' in client.get(url).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page and "Organisations" in page
    assert "2,037,330" in page  # numbers follow the language too


def test_health_answers_without_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.json()["status"] == "ok"
