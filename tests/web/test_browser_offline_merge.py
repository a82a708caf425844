"""In Chromium: a focal point corrected with no link, while someone else saved it, is
not saved over the other; the outbox shows it changed meanwhile, and its merge page
keeps the other's change where this user did not touch it."""

import pytest
from django.urls import reverse

from tests.web.conftest import log_in, wait_for_service_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_correction_made_offline_on_an_older_version_is_merged(
    served, demo_geography, user_with_role, organisation, chromium, settings
):
    from kafo.actors.models import Role
    from kafo.communities.models import FocalPoint
    from kafo.geo.models import AdminUnit

    settings.KAFO_OFFLINE_PERSONAL_DATA_ROLES = [Role.PARTNER_EDITOR]
    editor = user_with_role(Role.PARTNER_EDITOR, username="awa.terrain")
    focal_point = FocalPoint.objects.create(
        name="Aminata Traoré", phone="+22370000000", role="imam", languages=["fr"],
        admin_unit=AdminUnit.objects.filter(level=2).order_by("pcode").first(),
        organisation=editor.membership.organisation,
    )  # fmt: skip
    context = log_in(chromium, served, "awa.terrain", "secret-pass-42")
    page = context.new_page()
    page.goto(served + reverse("home"))
    wait_for_service_worker(page)
    edit = served + reverse("communities:focal_point_edit", args=[focal_point.pk])
    page.goto(edit)  # read once with a link: kept for this role

    context.set_offline(True)
    page.goto(edit)
    page.fill("input[name=phone]", "+223 76 00 00 00")
    page.click("form[data-outbox] button[type=submit]")
    page.wait_for_selector("#outbox[data-waiting='1']", timeout=30_000)
    # Meanwhile, the coordination corrects the name.
    focal_point.name = "Aminata Traoré (imam)"
    focal_point.save()

    context.set_offline(False)
    page.wait_for_selector("#outbox li[data-status='stale'] button", timeout=20_000)
    focal_point.refresh_from_db()
    assert focal_point.phone == "+22370000000"  # nothing saved over the other
    page.click("#outbox li[data-status='stale'] button")
    page.wait_for_selector(".merge table", timeout=10_000)
    assert page.input_value("input[name=phone]") == "+223 76 00 00 00"
    assert page.input_value("input[name=name]") == "Aminata Traoré (imam)"
    page.click("form[data-outbox] button[type=submit]")
    page.wait_for_url(served + reverse("communities:focal_point", args=[focal_point.pk]),
                      timeout=10_000)  # fmt: skip
    focal_point.refresh_from_db()
    assert (focal_point.name, focal_point.phone) == ("Aminata Traoré (imam)", "+22376000000")
    context.close()
