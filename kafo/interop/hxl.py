"""Reading HXL tables: CSV, XLSX or JSON, with the hashtag row under any header rows.

Pure Python, no Django. A table is its header rows, the parsed hashtag of each column
(None for an untagged column, kept but not imported) and the data rows.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 10_000
MAX_HEADER_ROWS = 25
csv.field_size_limit(MAX_CELL_CHARS * 10)


LEGACY_SUFFIXES = {"id", "code", "name", "date"}


class HxlError(ValueError):
    """A file that cannot be read as an HXL table; the message says why."""


@dataclass(frozen=True)
class Hashtag:
    tag: str
    attributes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: str) -> "Hashtag | None":
        """ "#adm1 +code" or "#ADM1+code" → Hashtag("adm1", {"code"}); None if not a hashtag."""
        text = "".join(str(text or "").split()).lower()
        if not text.startswith("#") or len(text) < 2:
            return None
        tag, *attributes = text[1:].split("+")
        if not tag or not all(part for part in attributes):
            return None
        # HXL 1.0 wrote some attributes into the tag: #activity_id, #adm1_code, #org_name.
        base, _sep, suffix = tag.rpartition("_")
        if base and suffix in LEGACY_SUFFIXES:
            tag, attributes = base, [*attributes, suffix]
        return cls(tag, frozenset(attributes))

    def matches(self, pattern: str) -> bool:
        """Whether this column matches a pattern such as "#org+impl" (order free)."""
        wanted = Hashtag.parse(pattern)
        return (
            wanted is not None and self.tag == wanted.tag and wanted.attributes <= self.attributes
        )


@dataclass
class HxlTable:
    headers: list[list[str]]
    hashtags: list[Hashtag | None]
    rows: list[list[str]]
    # File row number (1-based, as a spreadsheet shows it) of the first data row.
    first_row: int
    # The rows' own numbers when they are not consecutive (corrected rows of a batch).
    numbers: list[int] | None = None

    def row_numbers(self) -> list[int]:
        """The file row number of each data row."""
        if self.numbers is not None:
            return self.numbers
        return list(range(self.first_row, self.first_row + len(self.rows)))

    def header(self, index: int) -> str:
        """The column's text header (the last non-empty header row), or ""."""
        return next((h[index] for h in reversed(self.headers) if index < len(h) and h[index]), "")

    def tag_text(self, index: int) -> str:
        """The column's hashtag written back ("#org+impl"), or "" for an untagged column."""
        hashtag = self.hashtags[index]
        if hashtag is None:
            return ""
        return f"#{hashtag.tag}" + "".join(f"+{a}" for a in sorted(hashtag.attributes))

    def column(self, pattern: str, exclude: tuple[str, ...] = ()) -> int | None:
        """The first column matching `pattern` and none of the attributes in `exclude`."""
        for index, hashtag in enumerate(self.hashtags):
            if hashtag and hashtag.matches(pattern) and not hashtag.attributes & set(exclude):
                return index
        return None

    def label(self, index: int) -> str:
        """How to name a column in an error: its hashtag and its header."""
        header, text = self.header(index), self.tag_text(index)
        return f"{text} ({header})" if header and text else text or header or str(index + 1)


def _rows_from_csv(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise HxlError(_("the file is neither UTF-8 nor Windows-1252 text"))
    if "\x00" in text[:4096]:
        raise HxlError(_("the file is binary, not CSV text (an XLSX saved as .csv?)"))
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    except csv.Error as error:
        raise HxlError(_("broken CSV: %s") % error) from None


def _rows_from_xlsx(path: Path) -> Iterator[list[str]]:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > 20 * MAX_FILE_BYTES:
                raise HxlError(_("the XLSX file unpacks to more than 4 GB (a zip bomb?)"))
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise HxlError(_("not a readable XLSX file (%s)") % error) from None
    sheet = book.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield ["" if v is None else str(v) for v in values]
    book.close()


def _rows_from_json(data: bytes) -> Iterator[list[str]]:
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise HxlError(_("broken JSON: %s") % error) from None
    if not isinstance(document, list) or not all(isinstance(r, list) for r in document):
        raise HxlError(_("HXL JSON is a list of rows (lists), the hashtag row among the first"))
    for row in document:
        yield ["" if v is None else str(v) for v in row]


def read_hxl(path: Path | str) -> HxlTable:
    """Read an HXL table; HxlError says why a file cannot be read."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise HxlError(
            _("the file is %(size)d MB; the limit is %(limit)d MB")
            % {"size": size // 1_000_000, "limit": MAX_FILE_BYTES // 1_000_000}
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _rows_from_xlsx(path)
    elif suffix == ".json":
        rows = _rows_from_json(path.read_bytes())
    else:
        rows = _rows_from_csv(path.read_bytes())
    headers: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        filled = [cell for cell in cells if cell]
        tags = [Hashtag.parse(cell) for cell in cells]
        if filled and sum(t is not None for t in tags) * 2 >= len(filled):
            data = []
            for cells_ in rows:
                if any(len(cell) > MAX_CELL_CHARS for cell in cells_):
                    raise HxlError(
                        _("a cell of row %(row)d is longer than %(limit)d characters")
                        % {"row": number + len(data) + 1, "limit": MAX_CELL_CHARS}
                    )
                data.append([cell.strip() for cell in cells_])
            return HxlTable(headers, tags, data, number + 1)
        headers.append(cells)
        if number >= MAX_HEADER_ROWS:
            break
    raise HxlError(
        _("no HXL hashtag row (#org, #sector, #adm1…) in the first %d rows") % MAX_HEADER_ROWS
    )
