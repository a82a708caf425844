"""An API token is another way in: for roles that must use a second factor, it is made
only after a TOTP step (the account page, past the second factor; or the command with a
current code) and it expires; other roles' tokens do not."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kafo.actors.models import Role


def _get(token) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api.get(reverse("api:organisation-list")).status_code


def test_a_coordinators_token_expires(coordinator, settings):
    token = Token.objects.create(user=coordinator)
    assert _get(token) == 200
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - datetime.timedelta(hours=settings.KAFO_API_TOKEN_HOURS + 1)
    )
    token.refresh_from_db()
    assert _get(token) == 401


def test_an_editors_token_does_not_expire(user_with_role, settings):
    token = Token.objects.create(user=user_with_role(Role.PARTNER_EDITOR))
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=90))
    token.refresh_from_db()
    assert _get(token) == 200


def test_the_command_asks_a_coordinator_for_a_current_code(coordinator, capsys):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    with pytest.raises(CommandError, match="--code"):
        call_command("api_token", coordinator.username)
    with pytest.raises(CommandError):
        call_command("api_token", coordinator.username, code="000000")
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # the wrong code slowed it down
    device.refresh_from_db()
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    call_command("api_token", coordinator.username, code=code)
    assert Token.objects.get(user=coordinator).key in capsys.readouterr().out


def test_the_account_page_makes_a_token_after_the_second_factor(client, coordinator):
    client.force_login(coordinator)  # passes the TOTP step, as a person would
    page = client.post(reverse("account_security"), {"action": "api_token"}).content.decode()
    token = Token.objects.get(user=coordinator)
    assert token.key in page
    assert _get(token) == 200


def test_the_account_page_checks_access(db, plain_client):
    response = plain_client.post(reverse("account_security"), {"action": "api_token"})
    assert response.status_code == 302 and not Token.objects.exists()
