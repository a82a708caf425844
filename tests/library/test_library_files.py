"""The library's files: the text of each kind extracted for search (checked against
readers Kafo does not own: poppler's pdftotext for PDFs), scans flagged, and every bad file
refused with its reason, leaving nothing behind (no item, no file)."""

import io
import shutil
import subprocess
import zipfile

import pytest

from kafo.library.files import LibraryFileError
from kafo.library.models import LibraryItem
from kafo.library.services import add_item, search
from kafo.security.disclosure import Audience
from tests.library import files

COORDINATION = Audience(role="coordinator")
pytestmark = pytest.mark.usefixtures("english")  # the reasons are matched in English


def _add(path, name=None, **fields):
    return add_item(path, name or path.name, item_type="report", **fields)


def _nothing_kept(settings):
    assert not LibraryItem.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_pdf_with_text_is_searchable(db, tmp_path):
    path = files.pdf(tmp_path, "Procédure de dépollution des parcelles de Mopti.", pages=2)
    item = _add(path)
    assert not item.scanned and item.media_type == "application/pdf"
    assert item.size == path.stat().st_size and len(item.checksum) == 64
    if shutil.which("pdftotext"):  # poppler reads the same words
        poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                 check=True).stdout  # fmt: skip
        assert poppler.split() == item.text.split()
    assert item.text.count("dépollution") == 2
    assert [h.record.pk for h in search(COORDINATION, "dépolluer")] == [item.pk]
    with item.file.open("rb") as stored:
        assert stored.read() == path.read_bytes()


def test_a_scanned_pdf_is_kept_and_flagged(db, tmp_path):
    item = _add(files.pdf(tmp_path, picture=True, pages=3), title="Rapport scanné")
    assert item.scanned and item.text.strip() == ""
    assert "OCR" in item.extraction_note
    assert [h.record.pk for h in search(COORDINATION, "scanné")] == [item.pk]  # its title


def test_word_opendocument_and_excel_texts(db, tmp_path):
    word = _add(files.docx(tmp_path, ["Balisage des zones suspectes."],
                           table=[["Cercle", "Équipes"], ["Bandiagara", "3"]]))  # fmt: skip
    assert "Balisage des zones suspectes." in word.text and "Bandiagara | 3" in word.text
    odt = _add(files.odt(tmp_path, ["Sensibilisation des éleveurs."]))
    assert odt.text.splitlines() == ["Titre", "Sensibilisation des éleveurs."]
    sheet = _add(files.xlsx(tmp_path, [["Commune", "Personnes"], ["Douentza", 1250]]))
    assert sheet.text.splitlines() == ["Suivi", "Commune | Personnes", "Douentza | 1250"]
    assert {h.record.pk for h in search(COORDINATION, "éleveur ou balisage ou douentza")} == {
        word.pk,
        odt.pk,
        sheet.pk,
    }


def test_images_and_recordings_are_kept_without_text(db, tmp_path):
    picture = tmp_path / "carte.png"
    picture.write_bytes(files.png())
    item = _add(picture, title="Carte des zones")
    assert item.media_type == "image/png" and item.text == ""
    assert "its title and summary are" in item.extraction_note
    recording = tmp_path / "message.ogg"
    recording.write_bytes(b"OggS" + bytes(100))
    assert _add(recording).media_type == "audio/ogg"


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("note.exe", b"MZ\x90\x00", "takes"),
    ("note.pdf", b"MZ\x90\x00 not a pdf", "is not a PDF file"),
    ("carte.png", b"GIF89a", "is not a PNG file"),
    ("note.docx", b"PK\x03\x04 broken", "zip"),
    ("vide.pdf", b"", "is empty"),
    ("casse.pdf", b"%PDF-1.4\n garbage without objects", "cannot be read as PDF"),
])  # fmt: skip
def test_bad_files_are_refused_with_the_reason(db, tmp_path, settings, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LibraryFileError, match=reason):
        _add(path)
    _nothing_kept(settings)


def test_a_zip_that_is_not_the_document_it_says(db, tmp_path, settings):
    path = tmp_path / "rapport.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(LibraryFileError, match="not a DOCX document"):
        _add(path)
    _nothing_kept(settings)


def test_a_decompression_bomb_is_refused(db, tmp_path, settings):
    path = tmp_path / "bombe.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (8 * 1024 * 1024))
    assert path.stat().st_size < 50_000
    with pytest.raises(LibraryFileError, match="compressed"):
        _add(path)
    _nothing_kept(settings)


def test_too_large_and_too_many_pages(db, tmp_path, settings):
    settings.KAFO_LIBRARY_MAX_BYTES = 1000
    path = tmp_path / "gros.png"
    path.write_bytes(files.png(400, 400) + bytes(2000))
    with pytest.raises(LibraryFileError, match="KAFO_LIBRARY_MAX_BYTES"):
        _add(path)
    settings.KAFO_LIBRARY_MAX_BYTES = 10_000_000
    settings.KAFO_LIBRARY_MAX_PAGES = 2
    with pytest.raises(LibraryFileError, match="3 pages"):
        _add(files.pdf(tmp_path, "Page", pages=3))
    _nothing_kept(settings)


def test_a_pdf_locked_by_a_password_is_refused(db, tmp_path, settings):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(files.pdf(tmp_path, "Secret")).pages:
        writer.add_page(page)
    writer.encrypt(user_password="motdepasse", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "verrouille.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(LibraryFileError, match="password"):
        _add(path)
    _nothing_kept(settings)


def test_the_same_file_twice_is_refused_naming_the_first(db, tmp_path, settings):
    path = files.docx(tmp_path, ["Une seule fois."])
    first = _add(path, title="Première")
    with pytest.raises(LibraryFileError, match=f"no. {first.pk}"):
        _add(path, title="Seconde")
    assert list(LibraryItem.objects.values_list("title", flat=True)) == ["Première"]
