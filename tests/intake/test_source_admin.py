"""Intake sources are managed in the administration: each platform asks for its own
address of the form and the environment variables of its credentials (never a secret)."""

import pytest

from kafo.intake.models import IntakeSource

ADD = "/admin/intake/intakesource/add/"


@pytest.fixture
def admin_client(client, demo_geography):
    from kafo.actors.demo import create_demo_actors

    create_demo_actors()
    client.login(username="coordination", password="kafo-demo")
    return client


def _source(**values) -> dict:
    from kafo.actors.models import Organisation

    return {"name": "Relevés HI", "url": "https://central.example.org",
            "organisation": Organisation.objects.get(acronym="HI").pk, "kind": "hazard",
            **values}  # fmt: skip


def test_it_checks_access(client, user_with_role):
    from kafo.actors.models import Role

    assert client.get(ADD)["Location"].startswith("/accounts/login/")
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    assert client.get(ADD)["Location"].startswith("/admin/login/")


def test_an_odk_source_needs_its_project_form_and_variables(admin_client):
    page = admin_client.get(ADD).content.decode()
    assert "ODK Central" in page and "KoBoToolbox" in page
    refused = admin_client.post(ADD, _source(platform="odk", project_id="3"))
    assert refused.status_code == 200 and not IntakeSource.objects.exists()
    errors = refused.context["adminform"].form.errors
    assert set(errors) == {"form_id", "user_env", "password_env"}
    odk = _source(platform="odk", project_id="3", form_id="kafo_hazard", user_env="ODK_USER",
                  password_env="ODK_PASSWORD")  # fmt: skip
    added = admin_client.post(ADD, odk)
    assert added.status_code == 302
    source = IntakeSource.objects.get()
    assert (source.platform, source.project_id, source.origin) == ("odk", 3, "odk:3/kafo_hazard")


def test_a_kobo_source_needs_its_asset_and_token_variable(admin_client):
    refused = admin_client.post(ADD, _source(platform="kobo", token_env="KOBO_TOKEN"))
    assert set(refused.context["adminform"].form.errors) == {"asset_uid"}
    assert admin_client.post(ADD, _source(platform="kobo", token_env="KOBO_TOKEN",
                                          asset_uid="aKafo")).status_code == 302  # fmt: skip
