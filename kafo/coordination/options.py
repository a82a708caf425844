"""The options an analysis takes, with their defaults and bounds, read the same way from a
page's query string, an API request and `kafo analyse`'s arguments."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


class Unavailable(Exception):
    """The analysis cannot run on the platform's data (no strategy to align with…):
    a fact to tell the user, not a wrong option."""


@dataclass(frozen=True)
class Option:
    """One option: `kind` is int, float, date, code (upper-cased) or choice. `default` is
    a value, or a function of the options read so far (read in their order). A value
    outside `minimum`/`maximum` (or `above`, exclusive) or not in `choices` is refused
    with `message`."""

    name: str
    kind: str
    help: Promise | str
    message: Promise | str
    default: Any = None
    minimum: float | None = None
    above: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    # The `kafo analyse` argument, when not `--<name>`.
    flag: str = ""

    @property
    def argument(self) -> str:
        """The command line's name for it (`--from` for start…)."""
        return self.flag or "--" + self.name.replace("_", "-")

    def read(self, text: str | None, known: dict[str, Any]) -> Any:
        """The value of `text` (None or blank: the default); ValueError with the message."""
        text = (text or "").strip()
        if not text:
            return self.default(known) if callable(self.default) else self.default
        try:
            value = PARSERS[self.kind](text)
        except ValueError:
            raise ValueError(str(self.message) % {"value": text}) from None
        if self.kind == "choice":
            value = value.replace("-", "_")
            if value not in self.choices:
                raise ValueError(str(self.message) % {"value": text})
        below = self.minimum is not None and value < self.minimum
        if (
            below
            or (self.above is not None and value <= self.above)
            or (self.maximum is not None and value > self.maximum)
        ):
            raise ValueError(str(self.message) % {"value": text})
        return value


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


PARSERS: dict[str, Callable[[str], Any]] = {
    "int": int, "float": float, "date": _date, "code": str.upper, "choice": str,
}  # fmt: skip


def read_options(options: tuple[Option, ...], params: Mapping[str, Any]) -> dict[str, Any]:
    """The options' values from `params` (a query string, or the command line's arguments
    by option name); ValueError names the first that is wrong."""
    values: dict[str, Any] = {}
    for option in options:
        given = params.get(option.name)
        values[option.name] = option.read(None if given is None else str(given), values)
    return values


# The options several analyses share.
LEVEL = Option(
    "level", "int", gettext_lazy("admin level (0 country … 4)"), default=2, minimum=0,
    maximum=4, message=gettext_lazy("The level must be between 0 and 4."),
)  # fmt: skip
SECTOR = Option("sector", "code", gettext_lazy("one sector code (PRO-MIN…)"), message="%(value)s")
START = Option(
    "start", "date", gettext_lazy("period start (YYYY-MM-DD)"), flag="--from",
    message=gettext_lazy("%(value)s is not a date (YYYY-MM-DD)"),
)  # fmt: skip
END = Option(
    "end", "date", gettext_lazy("period end (YYYY-MM-DD)"), flag="--to",
    message=gettext_lazy("%(value)s is not a date (YYYY-MM-DD)"),
)  # fmt: skip
THRESHOLD = Option(
    "threshold", "float", gettext_lazy("coverage under which a unit is below target"),
    default=0.5, minimum=0, maximum=1,
    message=gettext_lazy("The threshold is a share between 0 and 1."),
)  # fmt: skip
BY = Option(
    "by", "choice", gettext_lazy("gaps per sector, or per mine action activity type"),
    default="sector", choices=("sector", "activity_type"),
    message=gettext_lazy("Gaps are by sector or by activity type."),
)  # fmt: skip
RADIUS_MESSAGE = gettext_lazy("The distance is a number of km between 0 and 100.")


def radius(default: Any, help: Promise) -> Option:
    """A distance in km, more than 0 and at most 100."""
    return Option("radius", "float", help, default=default, above=0, maximum=100,
                  message=RADIUS_MESSAGE)  # fmt: skip
