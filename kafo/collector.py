"""Python's cycle collector paused around work that makes many short-lived objects
holding no cycles. Pure Python: the engines use it too."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pausing = threading.Lock()
_pauses = 0
_was_enabled = True  # the collector's state before the first running pause


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an import batch or an analysis runs (as a
    `with` or a decorator): it would walk their hundreds of thousands of live rows again
    and again (a third of a 5W import's time, of an analysis's result rows), though
    reference counting frees them anyway. Process-wide, so it resumes when the last one
    running ends (if it was running before the first)."""
    global _pauses, _was_enabled
    with _pausing:
        if not _pauses:
            _was_enabled = gc.isenabled()
        _pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _pausing:
            _pauses -= 1
            if not _pauses and _was_enabled:
                gc.enable()
