"""The library's pages: a member searches and reads what its clearance reaches; an editor
adds a document through the page (a bad one is refused on the form, nothing kept); the
file goes only to whom may read the item; the record a lesson comes from shows it ("what we
learned here"); the coordination curates collections."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kafo.actors.models import Role
from kafo.library.models import Collection, LibraryItem
from kafo.library.services import link
from tests.library import files

pytestmark = pytest.mark.django_db


def test_it_checks_access(plain_client):
    response = plain_client.get(reverse("library:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_search_shows_highlighted_passages(client, corpus, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    page = client.get(reverse("library:index"), {"q": "dépolluer"}).content.decode()
    assert "<mark>dépolluer</mark>" in page
    assert corpus["guide"].title in page and corpus["sop"].title in page
    assert corpus["secret"].title not in page  # national IM of another organisation
    filtered = client.get(reverse("library:index"), {"q": "dépolluer", "item_type": "sop"})
    assert corpus["guide"].title not in filtered.content.decode()


def test_a_donor_reads_public_items_only(client, corpus, user_with_role):
    donor = user_with_role(Role.DONOR_VIEWER)
    client.force_login(donor)
    listing = client.get(reverse("library:index")).content.decode()
    assert corpus["guide"].title in listing and corpus["secret"].title not in listing
    assert client.get(corpus["secret"].get_absolute_url()).status_code == 404


def test_an_editor_adds_a_document_and_its_text_is_searched(client, user_with_role, tmp_path):
    editor = user_with_role(Role.PARTNER_EDITOR)
    client.force_login(editor)
    path = files.docx(tmp_path, ["Les relais communautaires au puits de Sévaré."])
    response = client.post(reverse("library:item_new"), {
        "file": SimpleUploadedFile("relais.docx", path.read_bytes()), "title": "",
        "item_type": "lessons", "pillar": "eore", "language": "fr", "countries": "ml, bf",
        "status": "current", "confidentiality": "1", "themes": ["gender"],
    })  # fmt: skip
    item = LibraryItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert (item.title, item.countries, item.themes) == ("relais", ["ML", "BF"], ["gender"])
    assert item.organisation_id == editor.membership.organisation_id
    page = client.get(reverse("library:index"), {"q": "sevare"}).content.decode()
    assert "<mark>Sévaré</mark>" in page


def test_a_bad_file_is_refused_on_the_form(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    response = client.post(reverse("library:item_new"), {
        "file": SimpleUploadedFile("rapport.pdf", b"MZ this is a program"), "title": "x",
        "item_type": "report", "language": "fr", "status": "current", "confidentiality": "1",
    })  # fmt: skip
    assert response.status_code == 200
    assert "n’est pas un fichier PDF" in response.content.decode()  # French, the default
    assert not LibraryItem.objects.exists()


def test_an_unknown_country_code_is_refused(client, user_with_role, tmp_path):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    response = client.post(reverse("library:item_new"), {
        "file": SimpleUploadedFile("a.docx", files.docx(tmp_path, ["x"]).read_bytes()),
        "item_type": "report", "language": "fr", "status": "current", "confidentiality": "1",
        "countries": "ML, XX",
    })  # fmt: skip
    assert "« XX » n’est pas un code pays ISO 3166" in response.content.decode()
    assert not LibraryItem.objects.exists()


def test_the_file_goes_only_to_whom_may_read_it(client, user_with_role, organisation,
                                                 tmp_path):  # fmt: skip
    from kafo.library.services import add_item
    from kafo.sensitivity import NATIONAL_IM

    mag = organisation("MAG")
    item = add_item(files.pdf(tmp_path, "Rapport interne"), "interne.pdf", item_type="report",
                    confidentiality=NATIONAL_IM, organisation=mag)  # fmt: skip
    url = reverse("library:item_file", args=[item.pk])
    client.force_login(user_with_role(Role.PARTNER_VIEWER, mag, username="mag-viewer"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (tmp_path / "doc.pdf").read_bytes()
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(user_with_role(Role.PARTNER_VIEWER, organisation("DRC")))
    assert client.get(url).status_code == 404


def test_a_lesson_shows_on_the_record_it_comes_from(client, coordinator, lesson, mine_action,
                                                    user_with_role):  # fmt: skip
    hazard = mine_action.hazard(coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("library:link_add", args=["lesson", lesson.pk]),
                           {"record_type": "hazard", "key": hazard.reference})  # fmt: skip
    assert response.status_code == 302
    page = client.get(hazard.get_absolute_url()).content.decode()
    assert "What we learned here" in page or "Ce que nous avons appris ici" in page
    assert lesson.title in page and lesson.get_absolute_url() in page
    lesson_page = client.get(lesson.get_absolute_url()).content.decode()
    assert hazard.reference in lesson_page


def test_a_record_that_is_not_linkable_is_refused(lesson, organisation):
    with pytest.raises(ValueError, match="not linked"):
        link(lesson, organisation("DRC"))


def test_the_coordination_curates_collections(client, coordinator, corpus, user_with_role):
    client.force_login(coordinator)
    client.post(reverse("library:collections"), {"title": "EORE au centre, 2025"})
    collection = Collection.objects.get()
    url = reverse("library:collection_items")
    client.post(url, {"collection": collection.pk, "item": corpus["eore"].pk})
    client.post(url, {"collection": collection.pk, "item": corpus["guide"].pk})
    assert set(collection.items.all()) == {corpus["eore"], corpus["guide"]}
    client.post(url, {"collection": collection.pk, "item": corpus["guide"].pk,
                      "action": "remove"})  # fmt: skip
    assert list(collection.items.all()) == [corpus["eore"]]
    editor = user_with_role(Role.PARTNER_EDITOR)
    client.force_login(editor)
    assert client.post(url, {"collection": collection.pk,
                             "item": corpus["guide"].pk}).status_code == 403  # fmt: skip
    assert list(collection.items.all()) == [corpus["eore"]]
    page = client.get(collection.get_absolute_url()).content.decode()
    assert corpus["eore"].title in page


def test_whats_new_and_the_weekly_email(client, corpus, user_with_role):
    viewer = user_with_role(Role.PARTNER_VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("library:new")).content.decode()
    assert corpus["guide"].title in page
    client.post(reverse("library:new"), {"digest": "on"})
    assert viewer.library_digest.active
    client.post(reverse("library:new"), {})
    viewer.library_digest.refresh_from_db()
    assert not viewer.library_digest.active
