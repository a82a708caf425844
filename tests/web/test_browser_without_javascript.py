"""With JavaScript off in Chromium, every page of the demo's menu still reads (its
heading, its menu, its tables) and every form on it can be sent (a button, or a single
field that Enter sends); a community alert posts and is received, and a list's filters
filter. JavaScript only adds the maps, the outbox and htmx."""

import pytest
from django.urls import reverse

from tests.web.test_page_weight import _pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sendable(form) -> bool:
    buttons = form.locator("button:not([type=button]), input[type=submit]")
    fields = form.locator("input:not([type=hidden]):not([type=submit]), select, textarea")
    return buttons.count() > 0 or fields.count() == 1


def test_every_page_reads_and_every_form_posts(served, demo_loaded, chromium, settings):
    from django.contrib.auth import get_user_model

    from kafo.actors.models import Membership, Organisation, Role
    from kafo.communities.models import Alert, FocalPoint

    settings.KAFO_SECOND_FACTOR_ROLES = []  # (a TOTP code cannot be typed twice in 30 s)
    user = get_user_model().objects.create_user("sans.js", password="secret-pass-42")
    Membership.objects.create(user=user, role=Role.COORDINATOR,
                              organisation=Organisation.objects.get(acronym="CNLPAL"))  # fmt: skip
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(served + reverse("login"))
    page.fill("#id_username", "sans.js")
    page.fill("#id_password", "secret-pass-42")
    page.click("button.primary")
    page.wait_for_url(served + reverse("home"))

    unsendable = {}
    for path in _pages():
        answer = page.goto(served + path)
        assert answer.status == 200, path
        assert page.locator("main h1").first.is_visible(), path
        assert page.locator("#main-menu a").first.is_visible(), path
        forms = page.locator("form")
        stuck = [forms.nth(i).get_attribute("action") or path for i in range(forms.count())
                 if not _sendable(forms.nth(i))]  # fmt: skip
        if stuck:
            unsendable[path] = stuck
    assert unsendable == {}

    # A list's filters, sent by their button.
    page.goto(served + reverse("actors:list"))
    page.fill("form.filters input[name=q]", "Handicap")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**q=Handicap**")
    assert page.locator("#organisation-rows tr").count() >= 1

    # A community alert, posted by the form itself.
    focal_point = FocalPoint.objects.filter(active=True).order_by("pk").first()
    before = Alert.objects.count()
    page.goto(served + reverse("communities:focal_point", args=[focal_point.pk]))
    form = page.locator("form[action$='/alert/']")
    form.locator("select[name=kind]").select_option(index=1)
    form.locator("select[name=channel]").select_option(index=1)
    form.locator("select[name=device]").select_option(index=1)
    form.locator("textarea[name=description]").fill("Signalé sans JavaScript")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert Alert.objects.count() == before + 1
    assert page.locator(".messages .success").count() == 1
    context.close()
