"""Long work runs after the request; a crash is recorded on its object, never lost; work
whose process stopped is recognised."""

import os
import socket
import subprocess
import sys
import threading

from kafo import background


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


def test_a_process_that_ended_has_stopped(stopped_runner):
    assert background.has_stopped(stopped_runner)


def test_running_or_unknown_processes_are_not_judged_stopped():
    assert not background.has_stopped(background.this_process())
    assert not background.has_stopped(f"{socket.gethostname()}:1")  # init: alive
    assert not background.has_stopped("another-server:12345")  # cannot be checked here
    assert not background.has_stopped("")  # made before runners were recorded
    assert not background.has_stopped(f"{socket.gethostname()}:not-a-pid")


def test_a_process_id_given_to_another_process_has_stopped():
    # After a restart the pid of the runner may belong to an unrelated process: its start
    # time tells them apart.
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        host = socket.gethostname()
        started = background._started(other.pid)
        assert started, "this test needs Linux's /proc"
        assert not background.has_stopped(f"{host}:{other.pid}:{started}")
        assert background.has_stopped(f"{host}:{other.pid}:{int(started) - 1}")
        assert not background.has_stopped(f"{host}:{other.pid}")  # no start time recorded
    finally:
        other.kill()
        other.wait()


def test_the_runner_names_its_start():
    host, pid, started = background.this_process().split(":")
    assert (host, int(pid)) == (socket.gethostname(), os.getpid())
    assert started == background._started(os.getpid()) != ""
