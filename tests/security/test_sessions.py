"""Sessions expire: idle after two hours (the cookie), and twelve hours after login."""

from django.conf import settings
from django.utils import timezone

from kafo.actors.models import Role
from kafo.security.accounts import LOGIN_TIME_KEY


def test_the_session_cookie_is_short_lived_and_renewed_on_use():
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_a_session_older_than_the_limit_is_ended(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get("/").status_code == 200
    session = client.session
    session[LOGIN_TIME_KEY] = timezone.now().timestamp() - 13 * 3600
    session.save()
    response = client.get("/organisations/")
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # logged out for good
