"""Sessions expire: idle after two hours (the cookie), and twelve hours after login."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kafo.actors.models import Role
from kafo.security.accounts import LOGIN_TIME_KEY, SEEN_TIME_KEY, SESSION_RENEW_SECONDS


def test_the_session_cookie_is_short_lived():
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_HTTPONLY


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_is_renewed_at_most_once_a_minute(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get("/").status_code == 200
    renewed = _expiry(client)
    assert renewed > timezone.now() + timedelta(minutes=119)
    # Within the minute: no write, the expiry stays.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/organisations/").status_code == 200
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"]
                and "django_session" in q["sql"]]  # fmt: skip
    assert _expiry(client) == renewed
    # A minute later the idle time starts again.
    session = client.session
    session[SEEN_TIME_KEY] -= SESSION_RENEW_SECONDS
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=30)
    )
    assert client.get("/organisations/").status_code == 200
    assert _expiry(client) > timezone.now() + timedelta(minutes=119)


def test_an_idle_session_is_ended(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/organisations/")["Location"].startswith("/accounts/login/")


def test_a_session_older_than_the_limit_is_ended(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get("/").status_code == 200
    session = client.session
    session[LOGIN_TIME_KEY] = timezone.now().timestamp() - 13 * 3600
    session.save()
    response = client.get("/organisations/")
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # logged out for good
