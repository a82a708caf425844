"""A progress bar for long imports on the command line (drawn only on a terminal, so that
logs and `--json` output stay clean)."""

import time
from typing import TextIO

from django.utils.translation import gettext as _

WIDTH = 30


class ProgressBar:
    """`bar(done, total)` redraws at most ten times a second; `with` ends the line."""

    def __init__(self, stream: TextIO, *, unit: str | None = None, force: bool = False):
        # Django wraps the command streams and ends every write with a newline.
        self.stream = getattr(stream, "_out", stream)
        self.unit = unit
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = force or bool(isatty and isatty())
        self.drawn_at = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done != total and now - self.drawn_at < 0.1:
            return
        self.drawn_at = now
        share = done / total if total else 1.0
        filled = round(share * WIDTH)
        unit = self.unit or _("rows")
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%}  {done}/{total} {unit}"
        )
        self.stream.flush()
        self.drawn = True

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
