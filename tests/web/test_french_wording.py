"""The demo's pages read as French: no raw codes or "None", a space before a colon, dates
and numbers as French readers write them, titles complete. Read with lxml (text nodes
only: attributes and form values stay machine values)."""

import re

import pytest
from django.urls import reverse
from lxml import html

from kafo.actors.models import Organisation
from kafo.commitments.models import Commitment
from kafo.mineaction.models import Accident, Hazard
from kafo.response.models import Activity, Resource
from tests.urlconf import routes

pytestmark = pytest.mark.django_db

SKIPPED = re.compile(r"(export|geojson|logout|set_language|health|weights|import|_add|new|"
                     r"second_factor_setup|service_worker|collection_items)$")  # fmt: skip
CHECKS = {
    "None shown": re.compile(r"\bNone\b"),
    "raw code": re.compile(r"\b(OTHER|OTP_TOTP|phone)\b|Administration de Django"),
    "no space before a colon": re.compile(r"(?<!kafo)(?<=[A-Za-zÀ-ÿ)»]):(\s|$)"),
    "ISO date in text": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "trailing ,0": re.compile(r"\b\d+,0\b(?![\d%])"),
}
# A button says what it does: a verb ("Enregistrer"), not a noun ("Enregistrement").
NOUNS_ON_BUTTONS = {"Enregistrement", "Validation", "Suppression", "Importation"}


def _pages() -> list[str]:
    pages = [
        reverse(name)
        for route, name in routes()
        if "<" not in route and not route.startswith("api/") and not SKIPPED.search(name)
    ]
    pages += [Hazard.objects.first().get_absolute_url(),
              Accident.objects.first().get_absolute_url(),
              Activity.objects.first().get_absolute_url(),
              Resource.objects.first().get_absolute_url(),
              reverse("actors:organisation", args=[Organisation.objects.first().pk]),
              reverse("commitments:commitment", args=[Commitment.objects.first().pk]),
              reverse("response:activity_new"), reverse("admin:index")]  # fmt: skip
    return pages


def _problems(content: bytes) -> list[tuple[str, str]]:
    document = html.fromstring(content)
    found = []
    title = document.findtext(".//title") or ""
    if re.search(r"·\s*·|^\s*·", title):
        found.append(("title without its subject", title))
    for button in document.iter("button"):
        if button.text_content().strip() in NOUNS_ON_BUTTONS:
            found.append(("a noun on a button", button.text_content().strip()))
    for element in document.iter():
        if not isinstance(element.tag, str) or element.tag in (
            "script",
            "style",
            "code",
            "pre",
            "textarea",
            "option",
        ):
            continue
        for text in (element.text, element.tail):
            text = " ".join((text or "").split())
            for name, pattern in CHECKS.items():
                if text and pattern.search(text):
                    found.append((name, text[:100]))
    return found


def test_the_pages_read_as_french(demo_loaded, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="coordination"))
    problems = {}
    for page in _pages():
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, page
        if found := _problems(response.content):
            problems[page] = found
    assert problems == {}
