"""Reading HXL tables: CSV, XLSX or JSON, with the hashtag row under any header rows.

Pure Python, no Django. A table is its header rows, the parsed hashtag of each column
(None for an untagged column, kept but not imported) and the data rows.
"""

import csv
import datetime
import io
import json
import operator
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from kafo.archives import ArchiveError, check_archive
from kafo.security.exports import unguarded

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
    # Columns whose cells were all numbers in a workbook: read as machine numbers ("1234.5"),
    # not by a written convention.
    number_columns: set[int] = field(default_factory=set)

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


def distinct_values(rows: list[list[str]], index: int) -> list[str]:
    """The different values of a column, in the order first met (rows too short for it
    have none). A 5W repeats its values: a column-wide check reads each once."""
    if rows and min(map(len, rows)) > index:  # every row has the column: no Python loop
        return list(dict.fromkeys(map(operator.itemgetter(index), rows)))
    return list(dict.fromkeys(row[index] for row in rows if index < len(row)))


def _rows_from_csv(data: bytes) -> Iterator[list[str]]:
    # UTF-16 (Excel's "Unicode text") says so by its byte order mark.
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise HxlError(_("the file is neither UTF-8, UTF-16 nor Windows-1252 text"))
    if "\x00" in text[:4096]:
        raise HxlError(_("the file is binary, not CSV text (an XLSX saved as .csv?)"))
    try:
        yield from csv.reader(io.StringIO(text), delimiter=_delimiter(text), quotechar='"',
                              doublequote=True)  # fmt: skip
    except csv.Error as error:
        raise HxlError(_("broken CSV: %s") % error) from None


def _delimiter(text: str) -> str:
    """The delimiter under which the first rows hold the most hashtags (an HXL table's
    own evidence), else the one Python's sniffer guesses. Quoting is always RFC 4180's
    (a quote doubled inside a quoted cell), as Excel, KoBo and libhxl write it: the sniffer
    misreads it when a cell ends with a quote."""
    head = "\n".join(text[:65536].splitlines()[:30])

    def hashtags(delimiter: str) -> int:
        try:
            rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        except csv.Error:
            return 0
        return max((sum(1 for c in row if Hashtag.parse(c) is not None) for row in rows),
                   default=0)  # fmt: skip

    counts = {delimiter: hashtags(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] > 1:
        return best
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _xlsx_cell(value) -> str:
    """A workbook cell as text: a date cell as its ISO date (and time, if it has one), a
    number cell as the number a program writes ("1234.5"), whatever the cell's format."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _has_hashtag_row(rows: Iterator[list[str]]) -> bool:
    for number, row in enumerate(rows, start=1):
        if _is_hashtag_row([cell.strip() for cell in row]):
            return True
        if number >= MAX_HEADER_ROWS:
            break
    return False


def _rows_from_xlsx(path: Path, sheet_name: str | None, numbers: set[int]) -> Iterator[list[str]]:
    """The rows of the sheet named `sheet_name`, or of the first sheet with a hashtag row.
    Adds to `numbers` the columns whose cells are all numbers (read as machine numbers)."""
    import openpyxl

    try:
        check_archive(path)
    except ArchiveError as error:
        raise HxlError(_("not a readable XLSX file: %s") % error) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise HxlError(_("not a readable XLSX file (%s)") % error) from None
    try:
        if sheet_name:
            if sheet_name not in book.sheetnames:
                raise HxlError(
                    _("no sheet “%(name)s” in the workbook (sheets: %(sheets)s)")
                    % {"name": sheet_name, "sheets": ", ".join(book.sheetnames)}
                )
            sheet = book[sheet_name]
            if not _has_hashtag_row(
                [_xlsx_cell(v) for v in r] for r in sheet.iter_rows(values_only=True)
            ):
                raise HxlError(
                    _("the sheet “%(name)s” has no HXL hashtag row in its first %(rows)d rows "
                      "(sheets: %(sheets)s)")
                    % {"name": sheet_name, "rows": MAX_HEADER_ROWS,
                       "sheets": ", ".join(book.sheetnames)}
                )  # fmt: skip
        else:
            sheet = next(
                (s for s in book.worksheets
                 if _has_hashtag_row([_xlsx_cell(v) for v in r]
                                     for r in s.iter_rows(values_only=True))),
                None,
            )  # fmt: skip
            if sheet is None:
                raise HxlError(
                    _("no sheet of the workbook has an HXL hashtag row (#org, #sector, "
                      "#adm1…) in its first %(rows)d rows (sheets: %(sheets)s)")
                    % {"rows": MAX_HEADER_ROWS, "sheets": ", ".join(book.sheetnames)}
                )  # fmt: skip
        text_columns: set[int] = set()
        seen: set[int] = set()
        data = False  # below the hashtag row
        for values in sheet.iter_rows(values_only=True):
            cells = [_xlsx_cell(v) for v in values]
            if data:
                for index, value in enumerate(values):
                    if value is None:
                        continue
                    seen.add(index)
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        text_columns.add(index)
            else:
                data = _is_hashtag_row([cell.strip() for cell in cells])
            yield cells
        numbers.update(seen - text_columns)
    finally:
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


def _is_hashtag_row(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return bool(filled) and sum(Hashtag.parse(c) is not None for c in cells) * 2 >= len(filled)


def read_hxl(path: Path | str, *, sheet: str | None = None) -> HxlTable:
    """Read an HXL table (of the workbook's sheet `sheet`, or of its first sheet with a
    hashtag row); HxlError says why a file cannot be read."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise HxlError(
            _("the file is %(size)d MB; the limit is %(limit)d MB")
            % {"size": size // 1_000_000, "limit": MAX_FILE_BYTES // 1_000_000}
        )
    suffix = path.suffix.lower()
    number_columns: set[int] = set()
    if suffix == ".xlsx":
        rows = _rows_from_xlsx(path, sheet, number_columns)
    elif suffix == ".json":
        rows = _rows_from_json(path.read_bytes())
    else:
        rows = _rows_from_csv(path.read_bytes())
    headers: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if _is_hashtag_row(cells):
            tags = [Hashtag.parse(cell) for cell in cells]
            data = []
            for cells_ in rows:
                if max(map(len, cells_), default=0) > MAX_CELL_CHARS:
                    raise HxlError(
                        _("a cell of row %(row)d is longer than %(limit)d characters")
                        % {"row": number + len(data) + 1, "limit": MAX_CELL_CHARS}
                    )
                stripped = list(map(str.strip, cells_))
                if "'" in "".join(stripped):  # rarely: a quote guarding a formula
                    stripped = [unguarded(cell) for cell in stripped]
                data.append(stripped)
            return HxlTable(headers, tags, data, number + 1, number_columns=number_columns)
        headers.append(cells)
        if number >= MAX_HEADER_ROWS:
            break
    raise HxlError(
        _("no HXL hashtag row (#org, #sector, #adm1…) in the first %d rows") % MAX_HEADER_ROWS
    )
