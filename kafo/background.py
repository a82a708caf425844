"""Long work (an import, a joint plan) run after the request in a thread, so the page can
show its progress; run at once when `KAFO_IMPORTS_IN_BACKGROUND` is off (tests)."""

import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)


def run(work: Callable[[], None], name: str, on_crash: Callable[[Exception], None]) -> None:
    """Run `work` now or in a thread named `name`; `on_crash` records a bug's error on the
    object the work was for, so that it never stays "running" for ever."""

    def guarded() -> None:
        try:
            work()
        except Exception as error:
            log.exception("%s failed", name)
            on_crash(error)

    if not settings.KAFO_IMPORTS_IN_BACKGROUND:
        guarded()
        return

    def in_thread() -> None:
        close_old_connections()
        try:
            guarded()
        finally:
            connections.close_all()

    threading.Thread(target=in_thread, name=name, daemon=True).start()


def _started(pid: int) -> str:
    """When the process `pid` started (clock ticks since boot, from Linux's /proc), or ""
    where that cannot be read: with the pid it names one process, even once the pid is
    given to another after a restart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    fields = stat.rpartition(")")[2].split()  # after the command name, which may hold spaces
    return fields[19] if len(fields) > 19 and fields[19].isdigit() else ""


def this_process() -> str:
    """Who runs work started now: "host:pid:start" (start: see `_started`; "host:pid"
    where it is unknown), kept on the batch or plan being worked on."""
    started = _started(os.getpid())
    return f"{socket.gethostname()}:{os.getpid()}" + (f":{started}" if started else "")


def has_stopped(runner: str) -> bool:
    """Whether the process named `runner` (see `this_process`) is gone, so that the work it
    had under way will never finish (a server restarted, a command killed): no process has
    its pid, or the one that has it started at another time (the pid was reused). Only a
    process of this machine can be checked; any other, or none named, is not judged
    stopped."""
    host, _sep, pid = runner.rpartition(":")
    started = ""
    if pid.isdigit() and host.count(":") == 1 and host.rpartition(":")[2].isdigit():
        (host, pid), started = host.rsplit(":", 1), pid
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, run by another user
        pass
    now = _started(int(pid))
    return bool(started and now and now != started)


def settle(work, *, running: str, failed: str, field: str, reason: str) -> bool:
    """`work` (a model with `status` and `runner`) still `running` though its process has
    stopped will never finish: mark it `failed`, with `reason` in `field`, so that nobody
    waits for it. Whether it was."""
    if work.status != running or not has_stopped(work.runner):
        return False
    work.status = failed
    setattr(work, field, reason)
    type(work).objects.filter(pk=work.pk, status=running).update(status=failed, **{field: reason})
    return True
