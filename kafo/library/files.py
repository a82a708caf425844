"""The library's files: what a file is (by its bytes, not only its name), refused with the
reason when it is not what it says, too large, or a decompression bomb; and its text,
extracted for search (pypdf, python-docx, openpyxl, the ODT's XML through lxml). A PDF
whose pages hold no text is a scan: kept, and flagged so.

Images and audio are kept without text: their title and summary are searched."""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from kafo.archives import ArchiveError, check_archive

# Extension → media type. What the bytes must show is checked by `_sniff`.
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
}
# Text kept per file (enough for any standard; a longer text is cut, and said so).
MAX_TEXT_CHARS = 5_000_000
# A PDF with fewer visible characters than this per page is a scan (or only pictures).
SCANNED_CHARS_PER_PAGE = 25
CHUNK = 1024 * 1024


class LibraryFileError(ValueError):
    """A file the library refuses, with the reason in the user's language."""


@dataclass(frozen=True)
class FileFacts:
    media_type: str
    size: int
    checksum: str
    text: str
    scanned: bool
    note: str


def accepted_extensions() -> str:
    return ", ".join(sorted({e.lstrip(".").upper() for e in MEDIA_TYPES}))


def read_library_file(path: Path, name: str) -> FileFacts:
    """What the file at `path` (uploaded as `name`) is, and its text. Raises
    LibraryFileError when it is refused."""
    extension = Path(name).suffix.lower()
    media_type = MEDIA_TYPES.get(extension)
    if media_type is None:
        raise LibraryFileError(
            _("“%(name)s”: the library takes %(types)s files")
            % {"name": name[:80], "types": accepted_extensions()}
        )  # fmt: skip
    size = path.stat().st_size
    if size == 0:
        raise LibraryFileError(_("“%s” is empty") % name[:80])
    limit = settings.KAFO_LIBRARY_MAX_BYTES
    if size > limit:
        raise LibraryFileError(
            _("“%(name)s” is %(size).0f MB; the library takes files up to %(limit).0f MB "
              "(KAFO_LIBRARY_MAX_BYTES)")
            % {"name": name[:80], "size": size / 1e6, "limit": limit / 1e6}
        )  # fmt: skip
    _sniff(path, extension, name)
    checksum = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            checksum.update(chunk)
    text, scanned, note = _extract(path, extension, name)
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        note = _("the text is cut after %d characters for search") % MAX_TEXT_CHARS
    return FileFacts(media_type, size, checksum.hexdigest(), text, scanned, note)


def _sniff(path: Path, extension: str, name: str) -> None:
    """The bytes agree with the extension, and a zip-based file is no bomb."""
    with path.open("rb") as stream:
        head = stream.read(16)
    expected = {
        ".pdf": head.startswith(b"%PDF-"),
        ".png": head.startswith(b"\x89PNG\r\n\x1a\n"),
        ".jpg": head.startswith(b"\xff\xd8\xff"),
        ".jpeg": head.startswith(b"\xff\xd8\xff"),
        ".mp3": head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
        ".ogg": head.startswith(b"OggS"),
        ".oga": head.startswith(b"OggS"),
        ".m4a": head[4:8] == b"ftyp",
        ".wav": head.startswith(b"RIFF") and head[8:12] == b"WAVE",
        ".docx": head.startswith(b"PK\x03\x04"),
        ".odt": head.startswith(b"PK\x03\x04"),
        ".xlsx": head.startswith(b"PK\x03\x04"),
    }[extension]
    if not expected:
        raise LibraryFileError(
            _("“%(name)s” is not a %(type)s file, whatever its name says")
            % {"name": name[:80], "type": extension.lstrip(".").upper()}
        )  # fmt: skip
    if extension in (".docx", ".odt", ".xlsx"):
        try:
            check_archive(path)
        except ArchiveError as error:
            raise LibraryFileError(f"“{name[:80]}”: {error}") from None
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
        inside = {
            ".docx": "word/document.xml" in names,
            ".xlsx": "xl/workbook.xml" in names,
            ".odt": mimetype == b"application/vnd.oasis.opendocument.text",
        }[extension]
        if not inside:
            raise LibraryFileError(
                _("“%(name)s” is a zip, but not a %(type)s document")
                % {"name": name[:80], "type": extension.lstrip(".").upper()}
            )  # fmt: skip


def _extract(path: Path, extension: str, name: str) -> tuple[str, bool, str]:
    """(text, scanned, note)."""
    try:
        if extension == ".pdf":
            return _pdf_text(path)
        if extension == ".docx":
            return _docx_text(path), False, ""
        if extension == ".odt":
            return _odt_text(path), False, ""
        if extension == ".xlsx":
            return _xlsx_text(path), False, ""
    except LibraryFileError:
        raise
    except Exception as error:  # each reader raises its own errors on a damaged file
        raise LibraryFileError(
            _("“%(name)s” cannot be read as %(type)s (%(error)s)")
            % {"name": name[:80], "type": extension.lstrip(".").upper(),
               "error": " ".join(str(error).split())[:120] or type(error).__name__}
        ) from None  # fmt: skip
    kind = _("an image") if MEDIA_TYPES[extension].startswith("image/") else _("a recording")
    return "", False, _("%s: no text to search; its title and summary are") % kind


def _pdf_text(path: Path) -> tuple[str, bool, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        raise LibraryFileError(_("the PDF is protected by a password: send it without one"))
    pages = len(reader.pages)
    if pages > settings.KAFO_LIBRARY_MAX_PAGES:
        raise LibraryFileError(
            _("the PDF has %(pages)d pages; the library takes up to %(limit)d "
              "(KAFO_LIBRARY_MAX_PAGES)")
            % {"pages": pages, "limit": settings.KAFO_LIBRARY_MAX_PAGES}
        )  # fmt: skip
    texts, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        texts.append(text)
        length += len(text)
        if length > MAX_TEXT_CHARS:
            break
    text = "\n\n".join(texts)
    visible = sum(1 for c in text if not c.isspace())
    if pages and visible < SCANNED_CHARS_PER_PAGE * pages:
        return text, True, _("scanned pages: no text layer to search (run OCR on the file, "
                             "then add it again)")  # fmt: skip
    return text, False, ""


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(p for p in parts if p.strip())


def _odt_text(path: Path) -> str:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("content.xml"), parser)
    namespace = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    blocks = root.iter(f"{{{namespace}}}p", f"{{{namespace}}}h")
    return "\n".join(text for block in blocks if (text := "".join(block.itertext()).strip()))


def _xlsx_text(path: Path) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    lines, length = [], 0
    try:
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                line = " | ".join(str(v) for v in row if v is not None and str(v).strip())
                if line:
                    lines.append(line)
                    length += len(line)
                if length > MAX_TEXT_CHARS:
                    return "\n".join(lines)
    finally:
        workbook.close()
    return "\n".join(lines)
