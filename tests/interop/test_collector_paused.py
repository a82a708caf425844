"""Batches run with Python's cycle collector paused (a third of a large import's time
otherwise), and it always resumes: after an error, and only when the last batch ends."""

import gc

import pytest

from kafo.interop.batches import RowResult, collector_paused, run_batch
from kafo.interop.hxl import Hashtag, HxlTable


def test_it_resumes_after_the_last_of_overlapping_batches():
    assert gc.isenabled()
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second batch still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_it_resumes_after_an_error():
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        raise ZeroDivisionError
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # whoever paused it resumes it
    finally:
        gc.enable()


def test_a_batch_checks_its_rows_with_the_collector_paused(db):
    seen = []

    def checker(table):
        def check(number, row):
            seen.append(gc.isenabled())
            return RowResult(number)

        return check

    table = HxlTable([["Org"]], [Hashtag.parse("#org")], [["HI"], ["DRC"]], first_row=1)
    run_batch("organisations", table, checker, lambda batch, results: None)
    assert seen == [False, False] and gc.isenabled()
