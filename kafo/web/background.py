"""Long work (an import, a joint plan) run after the request in a thread, so the page can
show its progress; run at once when `KAFO_IMPORTS_IN_BACKGROUND` is off (tests)."""

import logging
import threading
from collections.abc import Callable

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
