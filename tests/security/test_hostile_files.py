"""The hostile-file corpus: bombs, XXE, traversal, truncated files, wrong encodings, giant
cells, NaN and infinite numbers, impossible dates and repeated identifiers, made here and
given to every importer. Each gets a clear reason, within a time and memory cap, and no
row is left behind in any table (the batch that reports the refusal excepted)."""

import io
import signal
import time
import tracemalloc
import zipfile

import pytest
from django.apps import apps

from kafo.commitments.importing import import_commitments
from kafo.funding.rates import load_rates
from kafo.geo.importing import import_boundaries
from kafo.geo.settlements import import_settlements
from kafo.interop.iati_import import import_iati
from kafo.interop.importers import IMPORTERS

SECONDS, MEGABYTES = 30, 300
BOOKKEEPING = {"interop.importbatch", "interop.rejectedrow", "security.auditevent",
               "sessions.session"}  # fmt: skip
# Files whose hostility lies in a 5W's columns (numbers, dates, identifiers).
ROWS_OF_ACTIVITIES = {"numbers.csv", "dates.csv", "repeated.csv"}
HEADER = "#org+impl,#sector,#activity+name,#meta+id,#adm2+code,#value,#date+start\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["#org+impl", "#sector", "#activity+name"])
    book.active.append(["HI", "PRO-MIN", "EER"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + ']><iati-activities version="2.03"><iati-activity><iati-identifier>&lol9;'
    "</iati-identifier></iati-activity></iati-activities>"
)  # fmt: skip
XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
       '<iati-activities version="2.03"><iati-activity><iati-identifier>&secret;'
       "</iati-identifier></iati-activity></iati-activities>")  # fmt: skip


def corpus() -> dict[str, bytes]:
    """Name → content; the name's suffix says what the file claims to be."""
    zeros = b"\0" * (40 * 1024 * 1024)
    workbook = _workbook()
    return {
        "bomb.xlsx": _zip({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": zeros}),
        "bomb.docx": _zip({"word/document.xml": zeros}),
        "bomb.zip": _zip({"cod.shp": zeros}),
        "traversal.zip": _zip({"../../../tmp/kafo-evil.shp": b"x", "a.dbf": b"x"}),
        "truncated.xlsx": workbook[: len(workbook) // 2],
        "truncated.csv": (HEADER + "HI,PRO-MIN,EER,A-1,ML05").encode()[:40],
        "binary.csv": bytes(range(256)) * 64,
        "latin1-garbage.csv": "#org\x00\xff\xfe".encode("latin-1") + b"\x00" * 100,
        "giant-cell.csv": (
            HEADER + "HI,PRO-MIN," + "E" * 5_000_000 + ",A-1,ML0501,10,2025-01-06\n"
        ).encode(),
        "numbers.csv": (
            HEADER + "HI,PRO-MIN,EER,A-1,ML0501,NaN,2025-01-06\n"
            "HI,PRO-MIN,EER,A-2,ML0501,Infinity,2025-01-06\n"
            "HI,PRO-MIN,EER,A-3,ML0501,1e400,2025-01-06\n"
        ).encode(),
        "dates.csv": (
            HEADER + "HI,PRO-MIN,EER,A-1,ML0501,10,2023-02-30\n"
            "HI,PRO-MIN,EER,A-2,ML0501,10,31/13/2024\n"
        ).encode(),
        "repeated.csv": (
            HEADER + "HI,PRO-MIN,EER,A-1,ML0501,10,2025-01-06\n"
            "HI,PRO-MIN,EER,A-1,ML0501,20,2025-01-06\n"
        ).encode(),
        "laughs.xml": BILLION_LAUGHS.encode(),
        "xxe.xml": XXE.encode(),
        "empty.csv": b"",
    }


def _importers(coordinator):
    """Importer name → a call that takes a path and returns (refused, reason)."""

    def batch(function):
        def run(path):
            made = function(path, user=coordinator)
            errors = made.report().get("errors", [])
            reason = made.file_error or "; ".join(str(e.get("reason", "")) for e in errors)
            return made.status in ("failed", "rejected"), reason

        return run

    def raising(function, *errors):
        def run(path):
            try:
                result = function(path)
            except errors as error:
                return True, str(error)
            problems = getattr(result, "errors", None)
            return bool(problems), "; ".join(getattr(p, "reason", str(p)) for p in problems or [])

        return run

    from kafo.commitments.paragraphs import DocumentError
    from kafo.funding.rates import RatesError
    from kafo.geo.settlements import SettlementError

    found = {kind: batch(function) for kind, function in IMPORTERS.items()}
    found["iati"] = batch(lambda path, user: import_iati(path, user=user))
    found["boundaries"] = raising(lambda path: import_boundaries(path, "hostile"))
    found["settlements"] = raising(import_settlements, SettlementError)
    found["rates"] = raising(load_rates, RatesError)
    found["commitments"] = raising(lambda path: import_commitments(path, "Hostile"),
                                   DocumentError)  # fmt: skip
    return found


def _counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count()
            for model in apps.get_models()
            if model._meta.label_lower not in BOOKKEEPING}  # fmt: skip


class TooLong(Exception):
    pass


def _capped(run, path):
    def stop(_signum, _frame):
        raise TooLong(f"more than {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(SECONDS)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        refused, reason = run(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return refused, reason, time.perf_counter() - started, peak / 1024 / 1024


@pytest.mark.django_db
def test_every_hostile_file_is_refused_with_a_reason_by_every_importer(
    tmp_path, demo_geography, coordinator, settings
):
    settings.KAFO_ZIP_MAX_BYTES = 16 * 1024 * 1024  # the bombs unpack to 40 MB
    failures = []
    tried = 0
    for name, content in corpus().items():
        path = tmp_path / name
        path.write_bytes(content)
        for importer, run in _importers(coordinator).items():
            if importer == "organisations" and name in ROWS_OF_ACTIVITIES:
                continue  # a 5W's columns: its organisation column is a valid directory
            before = _counts()
            try:
                refused, reason, seconds, megabytes = _capped(run, path)
            except Exception as error:  # a crash is a failure of this test, not of Kafo's
                failures.append((name, importer, f"raised {type(error).__name__}: {error}"))
                continue
            tried += 1
            after = _counts()
            left = {table: after[table] - before[table] for table in after
                    if after[table] != before[table]}  # fmt: skip
            if not refused or not reason.strip() or "Traceback" in reason:
                failures.append((name, importer, f"not refused with a reason: {reason!r}"))
            if left:
                failures.append((name, importer, f"rows left behind: {left}"))
            if megabytes > MEGABYTES or seconds > SECONDS:
                failures.append((name, importer, f"{megabytes:.0f} MB, {seconds:.0f} s"))
            assert "root:" not in reason  # /etc/passwd never read into a message
    assert "\n".join(map(str, failures)) == ""
    skipped = len(ROWS_OF_ACTIVITIES)  # by the organisations importer
    assert tried == len(corpus()) * len(_importers(coordinator)) - skipped
