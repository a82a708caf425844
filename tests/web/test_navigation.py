"""The main menu: every link opens for the role it is shown to, and every page a role
may open is found in its menu (a new page must be given a place)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kafo.actors.models import Role
from tests.urlconf import routes

# Pages reached from another page, not from the menu: forms, files, map layers, steps.
NOT_IN_MENU = re.compile(
    r"(^|:)(health|login|logout|set_language|second_factor|second_factor_setup|offline|service_worker|"
    r"account_security)$|new$|create$|upload$|export$|geojson$|import$|_add$|weights$"
)


def _menu_links(html: str) -> list[str]:
    menu = html.split('id="main-menu"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', menu)


def _pages_without_arguments() -> list[str]:
    """The argument-free pages a person could open, from the URL configuration."""
    pages = []
    for route, name in routes():
        if "<" in route or route.startswith("api/") or NOT_IN_MENU.search(name):
            continue
        pages.append(reverse(name))
    return pages


def _login(client, role, user_with_role):
    if role is None:
        user = get_user_model().objects.create_user("sans.organisation", password="x-42-pass")
    else:
        user = user_with_role(role)
    client.force_login(user)
    return user


ROLES = [Role.COORDINATOR, Role.PARTNER_EDITOR, Role.PARTNER_VIEWER, Role.DONOR_VIEWER, None]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "no-organisation")
def test_every_link_of_the_menu_opens(client, user_with_role, role):
    _login(client, role, user_with_role)
    links = _menu_links(client.get("/").content.decode())
    assert links, "the home page has a menu"
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "no-organisation")
def test_every_page_a_role_may_open_is_in_its_menu(client, user_with_role, role):
    _login(client, role, user_with_role)
    links = set(_menu_links(client.get("/").content.decode()))
    reachable = [page for page in _pages_without_arguments()
                 if client.get(page).status_code == 200]  # fmt: skip
    assert reachable
    assert sorted(set(reachable) - links) == []


def test_donors_find_funding_and_not_records(client, user_with_role):
    _login(client, Role.DONOR_VIEWER, user_with_role)
    links = _menu_links(client.get("/").content.decode())
    assert reverse("funding:transactions") in links
    assert reverse("overview") in links
    assert reverse("mineaction:index") not in links


def test_the_current_page_is_marked(client, user_with_role):
    _login(client, Role.PARTNER_VIEWER, user_with_role)
    html = client.get(reverse("response:frameworks")).content.decode()
    menu = html.split('id="main-menu"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="([^"]+)" aria-current="page"', menu) == [
        reverse("response:frameworks")
    ]
    assert menu.count('class="current"') == 1


def test_visitors_get_no_menu(db, plain_client):
    html = plain_client.get(reverse("situation")).content.decode()
    assert 'id="main-menu"' not in html
