"""Files made by the tests with readers and writers Kafo does not own: PDFs typeset by
Typst (with text, or only a picture: a scan), Word files by python-docx, workbooks by
openpyxl, an OpenDocument text and a PNG written by hand to their specifications."""

import io
import struct
import zipfile
import zlib
from pathlib import Path


def png(width: int = 40, height: int = 20) -> bytes:
    """A grey PNG (the PNG specification: signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))  # fmt: skip

    rows = b"".join(b"\x00" + bytes([128]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))  # fmt: skip


def pdf(folder: Path, text: str = "", picture: bool = False, pages: int = 1) -> Path:
    """A PDF typeset by Typst: `text` on each page, or only a picture (a scan)."""
    import typst

    source = folder / "doc.typ"
    body = []
    for page in range(pages):
        if picture:
            (folder / "scan.png").write_bytes(png(200, 280))
            body.append('#image("scan.png", width: 100%)')
        else:
            body.append(text)
        if page < pages - 1:
            body.append("#pagebreak()")
    source.write_text("\n".join(body), encoding="utf-8")
    out = folder / "doc.pdf"
    out.write_bytes(typst.compile(str(source), format="pdf"))
    return out


def docx(folder: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = folder / "doc.docx"
    document.save(out)
    return out


def xlsx(folder: Path, rows: list[list]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Suivi"
    for row in rows:
        workbook.active.append(row)
    out = folder / "doc.xlsx"
    workbook.save(out)
    return out


def odt(folder: Path, paragraphs: list[str]) -> Path:
    """An OpenDocument text: its `mimetype` first and stored, then its content."""
    text = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text><text:h>Titre</text:h>{text}</office:text></office:body>"
        "</office:document-content>"
    )
    out = folder / "doc.odt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)  # fmt: skip
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    out.write_bytes(buffer.getvalue())
    return out
