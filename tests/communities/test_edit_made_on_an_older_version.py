"""A correction of a focal point made on an older version — someone saved it since the
form was opened, or while it waited in an outbox — is not saved over the other: the
outbox gets 409 and the merge page's address, a form gets the merge page (409) with
both versions side by side; saved from there, it is saved."""

import uuid

import pytest
from django.urls import reverse

from kafo.communities.models import FocalPoint


@pytest.fixture
def focal_point(db, demo_geography, coordinator):
    from kafo.geo.models import AdminUnit

    unit = AdminUnit.objects.filter(level=2).order_by("pcode").first()
    return FocalPoint.objects.create(name="Aminata Traoré", phone="+22370000000", role="imam",
                                     admin_unit=unit, languages=["fr"],
                                     organisation=coordinator.membership.organisation)  # fmt: skip


def _opened(client, focal_point) -> dict:
    """The edit form's values as the page gave them (with its version)."""
    import re

    page = client.get(reverse("communities:focal_point_edit", args=[focal_point.pk]))
    html = page.content.decode()
    version = re.search(r'name="version" value="([^"]+)"', html).group(1)
    assert 'data-outbox="' in html and 'name="client_uuid"' in html
    return {"name": focal_point.name, "role": focal_point.role, "phone": "+22370000000",
            "pcode": focal_point.admin_unit.pcode, "languages": ["fr"], "active": "on",
            "version": version}  # fmt: skip


def _saved_meanwhile(focal_point, **changes) -> None:
    for name, value in changes.items():
        setattr(focal_point, name, value)
    focal_point.save()


def test_an_outbox_edit_on_an_older_version_gets_409(client, coordinator, focal_point):
    client.force_login(coordinator)
    mine = {**_opened(client, focal_point), "phone": "+22376000000",
            "client_uuid": str(uuid.uuid4())}  # fmt: skip
    _saved_meanwhile(focal_point, name="Aminata Traoré (imam)")
    url = reverse("communities:focal_point_edit", args=[focal_point.pk])
    answer = client.post(url, mine, HTTP_X_KAFO_OUTBOX="1")
    assert answer.status_code == 409 and answer.json()["status"] == "stale"
    merge_url = answer.json()["url"]
    assert merge_url == reverse("communities:focal_point_merge", args=[focal_point.pk])
    focal_point.refresh_from_db()
    assert focal_point.phone == "+22370000000" and focal_point.name == "Aminata Traoré (imam)"
    # The outbox sends the values to the merge page: both versions, side by side.
    merge = client.post(merge_url, mine, HTTP_ACCEPT_LANGUAGE="fr")
    assert merge.status_code == 409
    differences = merge.context["merge"]["differences"]
    assert ("Aminata Traoré (imam)", "Aminata Traoré") in [(c, y) for _l, c, y in differences]
    assert ("+22370000000", "+22376000000") in [(c, y) for _l, c, y in differences]
    # Saved from the merge page (its form holds the new version), it is saved.
    fixed = {**mine, "version": merge.context["version"], "client_uuid": str(uuid.uuid4())}
    saved = client.post(url, fixed)
    assert saved.status_code == 302
    focal_point.refresh_from_db()
    assert focal_point.phone == "+22376000000"


def test_a_form_on_an_older_version_opens_the_merge_page(client, coordinator, focal_point):
    client.force_login(coordinator)
    mine = {**_opened(client, focal_point), "phone": "+22376000000"}
    _saved_meanwhile(focal_point, phone="+22379999999")
    answer = client.post(reverse("communities:focal_point_edit", args=[focal_point.pk]), mine,
                         HTTP_ACCEPT_LANGUAGE="fr")  # fmt: skip
    assert answer.status_code == 409
    assert "modifiée après que vous l’avez ouverte" in answer.content.decode()
    focal_point.refresh_from_db()
    assert focal_point.phone == "+22379999999"


def test_an_edit_on_the_current_version_is_saved(client, coordinator, focal_point):
    client.force_login(coordinator)
    mine = {**_opened(client, focal_point), "phone": "+22376000000"}
    answer = client.post(reverse("communities:focal_point_edit", args=[focal_point.pk]), mine)
    assert answer.status_code == 302
    focal_point.refresh_from_db()
    assert focal_point.phone == "+22376000000"


def test_it_checks_access(client, user_with_role, focal_point):
    from kafo.actors.models import Role

    client.force_login(user_with_role(Role.PARTNER_VIEWER, username="lecteur"))
    url = reverse("communities:focal_point_merge", args=[focal_point.pk])
    assert client.post(url, {"name": "x"}).status_code in (403, 404)
    assert client.get(url).status_code in (403, 404, 405)


def test_with_the_values_opened_only_real_conflicts_remain(client, coordinator, focal_point):
    client.force_login(coordinator)
    opened = _opened(client, focal_point)
    mine = {**opened, "phone": "+22376000000"}
    base = {f"base__{name}": value for name, value in opened.items() if name != "version"}
    _saved_meanwhile(focal_point, name="Aminata Traoré (imam)")
    merge = client.post(reverse("communities:focal_point_merge", args=[focal_point.pk]),
                        {**mine, **base})  # fmt: skip
    form = merge.context["form"]
    # Your phone, their name: you did not touch the name.
    assert form["phone"].value() == "+22376000000"
    assert form["name"].value() == "Aminata Traoré (imam)"
    assert [label for label, _c, _y in merge.context["merge"]["differences"]] == ["Téléphone"]
