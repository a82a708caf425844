"""Every page requires a login unless it is on the short list of open ones.

Generated from the URL configuration: a new view is covered without anyone
remembering to add it here.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# The field intake webhook is open to its caller (a KoBo server), which proves itself
# with the shared secret instead (tests/intake/test_kobo_pull.py).
# The monthly bulletin: its public edition, as the situation page.
OPEN = {"login", "set_language", "health", "situation", "intake_webhook", "bulletin",
        "service_worker", "offline"}  # fmt: skip
SAMPLE_ARGUMENTS = {"int": "1", "str": "ML01", "path": "x", "slug": "x",
                    "uuid": "00000000-0000-0000-0000-000000000001"}  # fmt: skip


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue  # the Django admin has its own login
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


def _sample_url(route: str) -> str:
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)  # the API router's regex routes
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS[m[1] or "str"], route)
    return "/" + route.replace("^", "").replace("$", "")


ROUTES = sorted(_patterns())


def test_every_view_is_listed():
    assert len(ROUTES) > 5


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ROUTES)
def test_anonymous_visitors_are_sent_to_login(client, route, name):
    response = client.get(_sample_url(route))
    if route.startswith("api/") and name not in OPEN:
        # The API answers for itself: 401 without a token, never a login page; its
        # schema is public.
        expected = 200 if name == "schema" else 401
        assert response.status_code == expected, route
    elif name in OPEN:
        assert response.status_code in {200, 302, 405}
        assert not response.get("Location", "").startswith("/accounts/login/")
    else:
        assert response.status_code == 302, route
        assert response["Location"].startswith("/accounts/login/"), route
