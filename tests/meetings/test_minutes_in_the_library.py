"""A meeting's minutes as a PDF (read back by pypdf and poppler, not by Kafo), published to
the library as a minutes item for the partners, superseded when published again after a
change; a body's terms of reference are a library item shown on its page."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kafo.library.models import ItemType, LibraryItem
from kafo.meetings.models import ActionPoint, Attendance, Decision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def held(meeting, organisation):
    Attendance.objects.create(meeting=meeting, name="Awa Diarra", organisation_name="HI",
                              sex="f", role="participant")  # fmt: skip
    Decision.objects.create(meeting=meeting, text="Adopter le plan d'éducation aux risques")
    ActionPoint.objects.create(
        meeting=meeting, owner=organisation("DRC"), text="Envoyer la carte des villages",
        deadline="2025-03-31",
    )  # fmt: skip
    meeting.minutes = "Les partenaires ont présenté leurs activités de février."
    meeting.save()
    return meeting


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_minutes_pdf_holds_the_meeting(client, coordinator, held):
    client.force_login(coordinator)
    response = client.get(reverse("reports:minutes", args=[held.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for expected in ("Réunion mensuelle", "Tour de table", "Awa Diarra",
                     "Adopter le plan d'éducation aux risques", "Envoyer la carte des villages",
                     "2025-03-31", "activités de février"):  # fmt: skip
        assert expected in text, expected
    if shutil.which("pdftotext"):
        poppler = subprocess.run(["pdftotext", "-", "-"], input=response.content,
                                 capture_output=True, check=True).stdout.decode()  # fmt: skip
        assert "Awa Diarra" in poppler and "Envoyer la carte des villages" in poppler


def test_the_same_minutes_make_the_same_file_dated_by_the_meeting(held):
    """Made a second apart, the file is the same bytes (else publishing them again
    unchanged would add a copy); pypdf reads the meeting's day as its date."""
    import time

    from django.utils import timezone

    from kafo.reports.minutes import minutes_pdf

    first = minutes_pdf(held)
    time.sleep(1.1)  # Typst dated its files to the second
    assert minutes_pdf(held) == first
    created = PdfReader(io.BytesIO(first)).metadata.creation_date
    assert created.date() == timezone.localtime(held.starts_at).date()


def test_published_minutes_are_a_library_item_superseded_when_published_again(
    client, coordinator, held
):
    client.force_login(coordinator)
    url = reverse("reports:minutes_publish", args=[held.pk])
    assert client.post(url).status_code == 302
    held.refresh_from_db()
    first = held.minutes_item
    assert (first.item_type, first.confidentiality, first.media_type) == (
        ItemType.MINUTES,
        1,
        "application/pdf",
    )
    assert "Awa Diarra" in " ".join(first.text.split())
    page = client.get(held.get_absolute_url()).content.decode()
    assert first.get_absolute_url() in page
    client.post(url)  # nothing changed: the same file, refused, nothing added
    assert LibraryItem.objects.count() == 1
    held.minutes += "\nAjout : la prochaine réunion à Mopti."
    held.save()
    client.post(url)
    held.refresh_from_db()
    first.refresh_from_db()
    assert held.minutes_item != first
    assert (first.status, first.superseded_by) == ("superseded", held.minutes_item)
    assert "prochaine réunion à Mopti" in " ".join(held.minutes_item.text.split())


def test_terms_of_reference_are_a_library_item(client, coordinator, body):
    terms = LibraryItem.objects.create(
        title="TdR du groupe de travail EORE",
        item_type=ItemType.TERMS_OF_REFERENCE,
        confidentiality=0,
    )
    client.force_login(coordinator)
    client.post(reverse("meetings:body_edit", args=[body.pk]), {
        "name": body.name, "acronym": body.acronym, "kind": body.kind, "level": "national",
        "lead": body.lead_id, "co_leads": [o.pk for o in body.co_leads.all()],
        "terms_of_reference_item": terms.pk, "active": "on",
    })  # fmt: skip
    body.refresh_from_db()
    assert body.terms_of_reference_item == terms
    page = client.get(body.get_absolute_url()).content.decode()
    assert terms.title in page and terms.get_absolute_url() in page
