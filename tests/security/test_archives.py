"""Zip-based files (XLSX, DOCX, zipped shapefiles) are checked before any reader opens
them: past the caps on unpacked size, compression ratio or number of members, or with a
member that lies about its size, the file is refused with a French reason and nothing is
written."""

import io
import os
import struct
import zipfile

import pytest

from kafo.archives import ArchiveError, check_archive
from kafo.interop.activities import import_activities
from kafo.response.models import Activity

MB = 1024 * 1024


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_normal_workbook_passes(tmp_path, settings):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["#org", "#sector"])
    book.save(tmp_path / "ok.xlsx")
    check_archive(tmp_path / "ok.xlsx")


def test_a_member_compressed_past_the_ratio_is_refused(tmp_path, settings):
    settings.KAFO_ZIP_MAX_RATIO = 200
    path = _zip(tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": b"\0" * (8 * MB)})
    with pytest.raises(ArchiveError, match="compressé"):
        check_archive(path)


def test_an_archive_unpacking_past_the_cap_is_refused(tmp_path, settings):
    settings.KAFO_ZIP_MAX_BYTES = 4 * MB
    path = _zip(tmp_path / "big.xlsx", {f"m{i}.bin": os.urandom(MB) for i in range(6)})
    with pytest.raises(ArchiveError, match="KAFO_ZIP_MAX_BYTES"):
        check_archive(path)


def test_too_many_members_are_refused(tmp_path, settings):
    settings.KAFO_ZIP_MAX_MEMBERS = 50
    path = _zip(tmp_path / "many.xlsx", {f"f{i}.xml": b"x" for i in range(60)})
    with pytest.raises(ArchiveError, match="60"):
        check_archive(path)


def test_a_member_lying_about_its_size_is_caught_while_streaming(tmp_path):
    data = os.urandom(2 * MB)  # does not compress: the ratio looks honest
    raw = io.BytesIO(_zip(tmp_path / "lie.xlsx", {"xl/worksheets/sheet1.xml": data})
                     .read_bytes())  # fmt: skip
    content = bytearray(raw.getvalue())
    small = struct.pack("<I", MB)  # declare half of what it holds
    local = content.find(b"PK\x03\x04")
    content[local + 22 : local + 26] = small
    central = content.find(b"PK\x01\x02")
    content[central + 24 : central + 28] = small
    path = tmp_path / "lie2.xlsx"
    path.write_bytes(bytes(content))
    with pytest.raises(ArchiveError):
        check_archive(path)


def test_an_xlsx_bomb_through_the_importer_is_a_failed_batch(tmp_path, settings, db):
    settings.KAFO_ZIP_MAX_RATIO = 200
    path = _zip(tmp_path / "5w.xlsx", {"[Content_Types].xml": b"<x/>",
                                        "xl/sharedStrings.xml": b"a" * (8 * MB)})  # fmt: skip
    batch = import_activities(path)
    assert batch.status == "failed" and "bombe" in batch.file_error
    assert not Activity.objects.exists()


def test_a_docx_bomb_is_refused_by_the_commitments_reader(tmp_path, settings):
    from kafo.commitments.paragraphs import DocumentError, read_text

    settings.KAFO_ZIP_MAX_RATIO = 200
    path = _zip(tmp_path / "accord.docx", {"word/document.xml": b" " * (8 * MB)})
    with pytest.raises(DocumentError, match="bombe"):
        read_text(path)
