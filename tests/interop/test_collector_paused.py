"""Batches run with Python's cycle collector paused (a third of a large import's time
otherwise); the pause itself is tested in tests/test_collector.py."""

import gc

from kafo.interop.batches import RowResult, run_batch
from kafo.interop.hxl import Hashtag, HxlTable


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
