"""Repeated failed logins lock the account, then the address, for a while."""

from datetime import timedelta

from django.utils import timezone

from kafo.actors.models import Role
from kafo.security.models import Action, AuditEvent


def _try(client, username, password="wrong", ip="127.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_the_account_even_for_the_right_password(plain_client, user_with_role):
    user = user_with_role(Role.PARTNER_EDITOR)
    for _ in range(5):
        assert "Saisissez un nom" in _try(plain_client, user.username).content.decode()
    response = _try(plain_client, user.username, "secret-pass-42")
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in plain_client.session
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, changes__locked=True).exists()


def test_the_lock_ends_after_the_window(plain_client, user_with_role):
    user = user_with_role(Role.PARTNER_EDITOR)
    long_ago = timezone.now() - timedelta(minutes=16)
    for _ in range(5):
        AuditEvent.objects.create(action=Action.LOGIN_FAILED, username=user.username, at=long_ago)
    response = _try(plain_client, user.username, "secret-pass-42")
    assert response.status_code == 302


def test_other_accounts_are_not_locked(plain_client, user_with_role):
    locked, other = user_with_role(Role.PARTNER_EDITOR), user_with_role(Role.PARTNER_VIEWER)
    for _ in range(5):
        _try(plain_client, locked.username, ip="10.0.0.9")
    assert _try(plain_client, other.username, "secret-pass-42").status_code == 302


def test_an_address_guessing_across_accounts_is_locked(plain_client, user_with_role):
    user = user_with_role(Role.PARTNER_EDITOR)
    for n in range(25):
        _try(plain_client, f"guess{n}", ip="10.6.6.6")
    blocked = _try(plain_client, user.username, "secret-pass-42", ip="10.6.6.6")
    assert "Trop de tentatives" in blocked.content.decode()
    assert _try(plain_client, user.username, "secret-pass-42", ip="10.0.0.1").status_code == 302


def test_the_lock_holds_outside_the_login_page(db, user_with_role):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    user = user_with_role(Role.PARTNER_EDITOR)
    for _ in range(5):
        AuditEvent.objects.create(action=Action.LOGIN_FAILED, username=user.username)
    request = RequestFactory().post("/admin/login/")
    assert authenticate(request, username=user.username, password="secret-pass-42") is None
