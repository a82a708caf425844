"""Child processes kept running: the worker processes of `kafo worker --concurrency N`,
and the worker that `kafo serve` runs beside the web server."""

import logging
import os
import signal
import subprocess
import sys
import time

log = logging.getLogger("kafo.tasks")


def _die_with_parent() -> None:
    """On Linux, the child gets SIGTERM when its parent dies, even by SIGKILL: no worker
    is left behind by a supervisor that was killed."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Children:
    """Start commands (argument lists after `python -m kafo`), start each again when it
    ends on its own (a crash, `kill -9`), and stop them all on `stop()`."""

    def __init__(self, commands: list[list[str]], *, restart_after: float = 1.0):
        self.commands = commands
        self.restart_after = restart_after
        self.processes: list[subprocess.Popen | None] = [None] * len(commands)
        self.stopping = False
        # Only this process stops them: a forked copy (a web server's process) must not.
        self.owner = os.getpid()

    def _start(self, index: int) -> None:
        self.processes[index] = subprocess.Popen(
            [sys.executable, "-m", "kafo", *self.commands[index]], preexec_fn=_die_with_parent
        )

    def start(self) -> None:
        for index in range(len(self.commands)):
            self._start(index)

    def watch_once(self) -> None:
        """Start again each child that ended while not stopping."""
        for index, process in enumerate(self.processes):
            if self.stopping or process is None or process.poll() is None:
                continue
            log.warning("process %s (%s) ended with %s: started again", process.pid,
                        " ".join(self.commands[index]), process.returncode)  # fmt: skip
            time.sleep(self.restart_after)
            self._start(index)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to each child, then SIGKILL to those still there after `timeout`."""
        self.stopping = True
        if os.getpid() != self.owner:
            return
        running = [p for p in self.processes if p is not None and p.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait_forever(self) -> None:
        """Watch the children until SIGINT or SIGTERM, then stop them."""

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while True:
                time.sleep(0.5)
                self.watch_once()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
