import pytest
from django.urls import reverse

from kafo.actors.models import Organisation, OrganisationType, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def hi(organisation):
    return organisation("HI", name="Humanité & Inclusion", alt_names=["Handicap International"])


@pytest.fixture
def drc(organisation):
    return organisation("DRC", name="Danish Refugee Council")


def test_it_checks_access(client, hi):
    for url in [
        reverse("actors:list"),
        reverse("actors:organisation", args=[hi.pk]),
        reverse("actors:edit", args=[hi.pk]),
        reverse("actors:create"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_directory_lists_and_filters(client, user_with_role, hi, drc, organisation):
    organisation("ECHO", OrganisationType.DONOR, name="ECHO")
    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))
    response = client.get(reverse("actors:list"))
    assert response.status_code == 200
    assert b"Danish Refugee Council" in response.content and b"ECHO" in response.content
    donors = client.get(reverse("actors:list"), {"type": "donor"})
    assert b"ECHO" in donors.content and b"Danish" not in donors.content


def test_search_finds_a_former_name_and_a_misspelling(client, user_with_role, hi, drc):
    client.force_login(user_with_role(Role.PARTNER_VIEWER, drc))
    response = client.get(reverse("actors:list"), {"q": "Handicap International"})
    assert b"Humanit\xc3\xa9 &amp; Inclusion" in response.content
    assert b"Danish" not in response.content
    misspelt = client.get(reverse("actors:list"), {"q": "Danish Refugee Counsil"})
    assert b"Danish Refugee Council" in misspelt.content


def test_htmx_search_returns_only_the_rows(client, user_with_role, hi):
    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))
    response = client.get(reverse("actors:list"), {"q": "HI"}, headers={"HX-Request": "true"})
    assert b"<table" in response.content and b"<html" not in response.content


def test_detail_shows_members_to_own_organisation_only(client, user_with_role, hi, drc):
    editor = user_with_role(Role.PARTNER_EDITOR, hi, username="hi-editor")
    client.force_login(editor)
    own = client.get(reverse("actors:organisation", args=[hi.pk]))
    assert b"hi-editor" in own.content and b"/edit/" in own.content
    user_with_role(Role.PARTNER_EDITOR, drc, username="drc-editor")
    other = client.get(reverse("actors:organisation", args=[drc.pk]))
    assert b"drc-editor" not in other.content and b"/edit/" not in other.content


def test_a_partner_editor_edits_only_their_organisation(client, user_with_role, hi, drc):
    client.force_login(user_with_role(Role.PARTNER_EDITOR, hi))
    data = {"name": "Humanité & Inclusion", "acronym": "HI", "type": "international_ngo",
            "alt_names": "Handicap International\nHumanity & Inclusion", "iati_identifier": "",
            "website": "https://hi.org"}  # fmt: skip
    response = client.post(reverse("actors:edit", args=[hi.pk]), data)
    assert response.status_code == 302
    hi.refresh_from_db()
    assert hi.website == "https://hi.org"
    assert hi.alt_names == ["Handicap International", "Humanity & Inclusion"]
    forbidden = client.post(reverse("actors:edit", args=[drc.pk]), data | {"name": "Hijacked"})
    assert forbidden.status_code == 403
    drc.refresh_from_db()
    assert drc.name == "Danish Refugee Council"


@pytest.mark.parametrize("role", [Role.PARTNER_VIEWER, Role.DONOR_VIEWER])
def test_viewers_cannot_edit(client, user_with_role, hi, role):
    client.force_login(user_with_role(role, hi))
    assert client.get(reverse("actors:edit", args=[hi.pk])).status_code == 403


def test_only_coordinators_add_organisations(client, user_with_role, coordinator, hi):
    data = {"name": "Mines Advisory Group", "acronym": "MAG", "type": "international_ngo"}
    client.force_login(user_with_role(Role.PARTNER_EDITOR, hi))
    assert client.post(reverse("actors:create"), data).status_code == 403
    client.force_login(coordinator)
    assert client.post(reverse("actors:create"), data).status_code == 302
    assert Organisation.objects.filter(acronym="MAG").exists()


def test_adding_a_known_organisation_again_shows_why(client, coordinator, hi):
    client.force_login(coordinator)
    response = client.post(
        reverse("actors:create"),
        {"name": "Handicap International", "acronym": "", "type": "international_ngo"},
    )
    assert response.status_code == 200
    assert "est déjà connue sous le nom Humanité &amp; Inclusion (HI)" in response.content.decode()
    assert Organisation.objects.filter(name="Handicap International").count() == 0
