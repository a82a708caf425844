"""In Chromium: an editor adds a Word document to the library through the page; its text
is searched in French (a stem, no accents), the words found highlighted; the file downloads
as it was sent; a donor does not find what is for the partners."""

from pathlib import Path

import pytest

from tests.library import files
from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_document_added_searched_and_downloaded_in_the_browser(
    served, user_with_role, organisation, chromium, tmp_path, settings
):
    from kafo.actors.models import Role
    from kafo.library.models import LibraryItem

    settings.MEDIA_ROOT = tmp_path / "media"
    amss = organisation("AMSS", kind="national_ngo")
    user_with_role(Role.PARTNER_EDITOR, amss, username="amss.editeur")
    user_with_role(Role.DONOR_VIEWER, organisation("ECHO", kind="donor"), username="echo")
    document = files.docx(tmp_path, ["Comment dépolluer les rizières de Mopti après la crue."])

    context = log_in(chromium, served, "amss.editeur", "secret-pass-42")
    page = context.new_page()
    page.goto(served + "/library/items/add/")
    page.set_input_files("input[name=file]", str(document))
    page.fill("input[name=title]", "Rizières de Mopti")
    page.select_option("select[name=item_type]", "lessons")
    page.select_option("select[name=confidentiality]", "1")  # partners
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("text=est dans la bibliothèque", timeout=30_000)
    item = LibraryItem.objects.get()
    assert item.title == "Rizières de Mopti" and "rizières" in item.text

    page.goto(served + "/library/")
    page.fill("input[name=q]", "DEPOLLUTION riziere")
    page.click("form[role=search] button[type=submit]")
    marks = page.locator("ol.results mark").all_inner_texts()
    assert marks == ["dépolluer", "rizières"]
    page.click("text=Rizières de Mopti")
    with page.expect_download() as waiting:
        page.click("a[download]")
    assert Path(waiting.value.path()).read_bytes() == document.read_bytes()
    context.close()

    donor = log_in(chromium, served, "echo", "secret-pass-42")
    page = donor.new_page()
    page.goto(served + "/library/?q=rizière")
    assert "Rizières de Mopti" not in page.locator("main").inner_text()
    donor.close()
