"""The menu's addresses, worked out once per process, still follow the address Kafo is
served under (a reverse proxy's sub-path) and a changed URLconf."""

from django.urls import clear_script_prefix, set_script_prefix

from kafo.actors.models import Role
from kafo.web.navigation import menu_for


def _addresses(rf, user, path="/"):
    request = rf.get(path)
    request.user = user
    return [link["url"] for group in menu_for(request) for link in group["links"]]


def test_the_menu_follows_the_script_prefix(rf, user_with_role):
    user = user_with_role(Role.PARTNER_VIEWER)
    plain = _addresses(rf, user)
    assert "/situation/" in plain
    set_script_prefix("/kafo/")
    try:
        below = _addresses(rf, user)
    finally:
        clear_script_prefix()
    assert below == ["/kafo" + address for address in plain]
    assert _addresses(rf, user) == plain


def test_the_menu_follows_a_changed_urlconf(rf, user_with_role, settings):
    user = user_with_role(Role.PARTNER_VIEWER)
    plain = _addresses(rf, user)
    settings.ROOT_URLCONF = "tests.web.urls_elsewhere"
    assert _addresses(rf, user) == ["/ailleurs" + address for address in plain]
