"""Long work runs after the request; a crash is recorded on its object, never lost."""

import threading

from kafo.web import background


def test_a_crash_is_recorded_now(settings):
    settings.KAFO_IMPORTS_IN_BACKGROUND = False
    crashes = []
    background.run(lambda: 1 / 0, "test-now", crashes.append)
    assert [type(e) for e in crashes] == [ZeroDivisionError]


def test_work_runs_in_a_named_thread(settings, transactional_db):
    settings.KAFO_IMPORTS_IN_BACKGROUND = True
    done = threading.Event()
    names = []

    def work():
        names.append(threading.current_thread().name)
        done.set()

    background.run(work, "test-thread", lambda error: None)
    assert done.wait(5) and names == ["test-thread"]
