"""TOTP: required for coordinators (and administrators), optional for others."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kafo.actors.models import Role
from kafo.security.models import Action, AuditEvent


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=device.drift):06d}"


def _password_login(client, user):
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "secret-pass-42"}
    )
    assert response.status_code == 302
    return response


def test_a_coordinator_must_enrol_before_seeing_anything(plain_client, coordinator):
    _password_login(plain_client, coordinator)
    response = plain_client.get("/organisations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/setup/?next=")
    setup = plain_client.get(response["Location"])
    assert b"<svg" in setup.content  # the QR code, drawn inline (no image request)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    wrong = plain_client.post("/accounts/second-factor/setup/", {"code": "000000"})
    assert "Ce code est faux" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # skip the throttling pause the wrong code caused
    device.save()
    done = plain_client.post(
        "/accounts/second-factor/setup/", {"code": _code(device), "next": "/organisations/"}
    )
    assert done["Location"] == "/organisations/"
    assert plain_client.get("/organisations/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.SECOND_FACTOR_FAILED).count() == 1
    assert AuditEvent.objects.filter(action=Action.SECOND_FACTOR).count() == 1


def test_a_user_with_a_device_gives_the_code_at_each_login(plain_client, user_with_role):
    user = user_with_role(Role.PARTNER_EDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _password_login(plain_client, user)
    assert plain_client.get("/").url.startswith("/accounts/second-factor/?next=")
    assert plain_client.post("/accounts/second-factor/", {"code": "12ab56"}).status_code == 200
    response = plain_client.post("/accounts/second-factor/", {"code": _code(device), "next": "/"})
    assert response["Location"] == "/"
    assert plain_client.get("/").status_code == 200


def test_a_partner_without_a_device_is_not_asked(plain_client, user_with_role):
    _password_login(plain_client, user_with_role(Role.PARTNER_VIEWER))
    assert plain_client.get("/").status_code == 200


def test_throttling_slows_guessing(plain_client, user_with_role):
    user = user_with_role(Role.PARTNER_EDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _password_login(plain_client, user)
    plain_client.post("/accounts/second-factor/", {"code": "000000"})
    blocked = plain_client.post("/accounts/second-factor/", {"code": _code(device)})
    assert "Trop de codes erronés" in blocked.content.decode()


def test_the_next_address_cannot_lead_off_site(plain_client, user_with_role):
    user = user_with_role(Role.PARTNER_EDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _password_login(plain_client, user)
    response = plain_client.post(
        "/accounts/second-factor/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("role", "may_disable"), [(Role.COORDINATOR, False), (Role.PARTNER_EDITOR, True)]
)
def test_only_those_not_required_may_turn_it_off(client, user_with_role, role, may_disable):
    user = user_with_role(role)
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "phone"})
    client.force_login(user)
    client.post("/accounts/security/", {"action": "disable"})
    assert TOTPDevice.objects.filter(user=user).exists() is not may_disable


def test_the_security_page_needs_the_second_factor_too(plain_client, user_with_role):
    user = user_with_role(Role.PARTNER_EDITOR)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _password_login(plain_client, user)
    plain_client.post("/accounts/security/", {"action": "disable"})
    assert TOTPDevice.objects.filter(user=user).exists()
