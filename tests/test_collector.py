"""Python's cycle collector paused (imports and analyses) always resumes: after an
error, and only when the last of overlapping pauses ends; paused before, it stays paused."""

import gc

import pytest

from kafo.collector import collector_paused


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
