"""The coordination analyses, one entry each: its options with their defaults and bounds,
who may see it, what it computes and the keys of its answer, and its page. The pages,
the API and `kafo analyse` read this registry and nothing else; adding an analysis is an
entry here, a function of the engine (kafo.analysis) and a template."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kafo.analysis.alignment import AlignmentOptions, alignment
from kafo.analysis.duplicates import DuplicateOptions, duplicates
from kafo.analysis.equity import equity
from kafo.analysis.gaps import GapOptions, gaps
from kafo.analysis.priorities import PriorityOptions, priorities
from kafo.coordination import pages
from kafo.coordination.cache import cached_answer
from kafo.coordination.community import community_coverage, default_level
from kafo.coordination.options import (
    BY,
    END,
    LEVEL,
    SECTOR,
    START,
    THRESHOLD,
    Option,
    Unavailable,
    radius,
    read_options,
)
from kafo.coordination.source import analysis_connection
from kafo.mineaction.models import PriorityWeights
from kafo.response.strategies.progress import default_strategy, strategies_with_objectives
from kafo.security.disclosure import audience, disclosed_gaps
from kafo.vocabulary import MINE_ACTION

# Who may see an analysis: whoever opens the analyses (donors too: aggregates only), or
# those who may read records one by one (it names records).
EVERYONE = "everyone"
RECORD_READERS = "record_readers"


@dataclass(frozen=True)
class Analysis:
    """One coordination analysis. `compute(options, sole_user)` gives the engine's answer
    (`sole_user`: called from the command line); `disclose(viewer, answer)` what the
    viewer may read of it; `keys`: the answer's top-level keys (its JSON shape);
    `columns(answer)`: its rows as a table for `kafo analyse` (columns, rows) and
    `note(answer)` the line said under it; `path`, `page` and `template`: its page's
    address, URL name and template; its map is at `path` with `.geojson` for `/`."""

    name: str
    title: Promise
    summary: Promise
    options: tuple[Option, ...]
    audience: str
    compute: Callable[[dict[str, Any], bool], dict]
    keys: tuple[str, ...]
    columns: Callable[[dict], tuple[list[str], list[list]]]
    path: str
    page: str
    template: str
    # The page's context beyond the answer: context(request, answer, options).
    context: Callable[[Any, Any, dict[str, Any]], dict]
    # Its map's features, when it has a map: features(answer, options).
    features: Callable[[dict, dict[str, Any]], list[dict]] | None = None
    note: Callable[[dict], str] = lambda answer: ""
    disclose: Callable[[Any, dict], dict] = lambda viewer, answer: answer
    # The page's share of an answer, when it shows only the head of long lists: those
    # lists cut, with their lengths (kept beside the whole answer, read by the page).
    page_share: Callable[[dict], dict] | None = None

    def read(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The options from a query string or the command line (ValueError: which and
        why)."""
        return read_options(self.options, params)

    def may_see(self, viewer: Any) -> bool:
        """Whether this viewer (a user; None: the command line) may see the analysis."""
        if viewer is None or self.audience == EVERYONE:
            return True
        return not audience(viewer).aggregates_only

    def run(self, options: dict[str, Any], viewer: Any = None, sole_user: bool = False) -> dict:
        """The answer as the viewer may read it (None: the command line, which reads the
        database anyway), for the data as it is. Unavailable: the data cannot answer (said
        to the user)."""
        answer, _at = cached_answer(self.name, options,
                                    lambda: self.compute(options, sole_user))  # fmt: skip
        return answer if viewer is None else self.disclose(viewer, answer)

    def run_for_page(self, options: dict[str, Any], viewer: Any) -> tuple[dict, Any]:
        """(answer, computed_at) for a page: after a change of the data, the answer of the
        data before it, with the time it was computed (the page says so), while a task
        computes the new one; (answer, None) when it is the data's as it is. With a
        `page_share`, the page's share of the answer."""
        from kafo.coordination.tasks import ask_refresh

        answer, at = cached_answer(
            self.page_key, options, self._page_compute(options),
            refresh=lambda: ask_refresh(self.name, _json_options(options), get_language() or ""),
        )  # fmt: skip
        return self.disclose(viewer, answer), at

    @property
    def page_key(self) -> str:
        """The name its page's answers are kept under."""
        return f"{self.name}:page" if self.page_share else self.name

    def _page_compute(self, options: dict[str, Any]) -> Callable[[], dict]:
        if self.page_share:
            return lambda: self.page_answer(options)
        return lambda: self.compute(options, False)

    def warm(self, options: dict[str, Any]) -> None:
        """Compute and keep the answer for the data as it is, and the page's share."""
        cached_answer(self.page_key, options, self._page_compute(options))

    def page_answer(self, options: dict[str, Any]) -> dict:
        """The page's answer for the data as it is (undisclosed): the page's share of the
        whole answer, which is kept too (the API and downloads read it)."""
        whole, _at = cached_answer(self.name, options, lambda: self.compute(options, False))
        return self.page_share(whole) if self.page_share else whole


def _json_options(options: dict[str, Any]) -> dict[str, Any]:
    """Options as a task's arguments: dates as ISO text, which `read` reads back, and
    which the cache key writes the same way (kafo.coordination.cache.answer_key)."""
    return {name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in options.items()}  # fmt: skip


def _gap_options(options: dict[str, Any]) -> GapOptions:
    if options["by"] == "activity_type" and options.get("sector") not in (None, MINE_ACTION):
        raise ValueError(_("Activity types are those of mine action (PRO-MIN)."))
    return GapOptions(**{name: options[name] for name in
                         ("level", "sector", "start", "end", "threshold", "by")})  # fmt: skip


def _gaps_columns(answer: dict) -> tuple[list[str], list[list]]:
    columns = ["pcode", "name", "sector", "need", "targeted", "reached", "coverage",
               "targeted_coverage", "class", "projected_class", "organisations"]  # fmt: skip
    if any("activity_type" in unit for unit in answer["units"]):
        columns[3:4] = ["activity_type", "need", "hazards", "remaining_m2"]
    rows = [[("; ".join(u[c]) if c == "organisations" else u[c]) for c in columns]
            for u in answer["units"]]  # fmt: skip
    return columns, rows


def _gaps_note(answer: dict) -> str:
    count = answer.get("imprecise_count", len(answer["imprecise"]))
    if not count:
        return ""
    note = _("%d activities are located only above this level (imprecise): not counted.") % count
    if count > len(answer["imprecise"]):
        note += " " + _("The first %d are listed.") % len(answer["imprecise"])
    return note


def _duplicates_columns(answer: dict) -> tuple[list[str], list[list]]:
    columns = ["kind", "score", "activity", "records", "organisations", "pcodes", "start", "end"]
    rows = [[c["kind"], c["score"], c["activity"], "; ".join(c["records"]),
             "; ".join(c["organisations"]), "; ".join(c["pcodes"]),
             c["period"]["start"] or "", c["period"]["end"] or ""]
            for c in answer["clusters"]]  # fmt: skip
    return columns, rows


def _duplicates_note(answer: dict) -> str:
    count = answer.get("double_reporting_count", len(answer["double_reporting"]))
    if not count:
        return ""
    note = _("%d pairs come from the same organisation (possible double reporting).") % count
    if count > len(answer["double_reporting"]):
        note += " " + _("The first %d are listed.") % len(answer["double_reporting"])
    return note


def _equity_columns(answer: dict) -> tuple[list[str], list[list]]:
    columns = ["pcode", "name", "need", "reached", "coverage", "need_share", "response_share",
               "gap"]  # fmt: skip
    return columns, [[u[c] for c in columns] for u in answer["units"]]


def _equity_note(answer: dict) -> str:
    return _(
        "Covered: %(territory)s of the territory, %(people)s of the people in need; "
        "Gini of coverage %(gini)s."
    ) % {"territory": answer["territory_covered"], "gini": answer["gini"],
          "people": answer["people_in_need_covered"]}  # fmt: skip


def _default_strategy(options: dict[str, Any]) -> int | None:
    found = default_strategy()
    return found.pk if found else None


def _alignment(options: dict[str, Any], sole_user: bool) -> dict:
    framework = options["framework"]
    if framework is None:
        raise Unavailable(gettext_lazy("No strategy with objectives yet: add one first."))
    if not strategies_with_objectives().filter(pk=framework).exists():
        raise ValueError(_("No strategy %s with objectives.") % framework)
    return alignment(analysis_connection(sole_user), AlignmentOptions(
        framework_id=framework, start=options["start"], end=options["end"]))  # fmt: skip


def _alignment_columns(answer: dict) -> tuple[list[str], list[list]]:
    columns = ["pillar", "title", "committed_usd", "disbursed_usd", "target_usd"]
    return columns, [[p["code"], p["title"], p["committed_usd"], p["disbursed_usd"],
                      p["target_usd"]] for p in answer["pillars"]]  # fmt: skip


def _alignment_note(answer: dict) -> str:
    funding = answer["funding"]["disbursed"]
    return _(
        "Aligned: %(activities)s of the activities, %(funding)s of the disbursements "
        "(on budget: %(budget)s)."
    ) % {"activities": answer["activities"]["aligned_share"],
          "funding": funding["aligned_share"], "budget": funding["on_budget_share"]}  # fmt: skip


def _weights_radius(options: dict[str, Any]) -> float:
    return PriorityWeights.current().radius_km


def _priorities(options: dict[str, Any], sole_user: bool) -> dict:
    weights = PriorityWeights.current()
    return priorities(analysis_connection(sole_user), PriorityOptions(
        weights=weights.as_dict(), radius_km=options["radius"], level=options["level"],
        top=options["top"]))  # fmt: skip


def _priorities_columns(answer: dict) -> tuple[list[str], list[list]]:
    names = list(answer["weights"])
    rows = [[h["rank"], h["reference"], h["pcode"], h["score"],
             *(h["contributions"][name] for name in names)]
            for h in answer["hazards"]]  # fmt: skip
    return ["rank", "hazard", "pcode", "score", *names], rows


def _community_columns(answer: dict) -> tuple[list[str], list[list]]:
    rows = [["uncovered", u["pcode"], u["name"], ""] for u in answer["uncovered"]]
    rows += [["hazards_without_leader", u["pcode"], u["name"],
              "casualties" if u["casualties"] else ""]
             for u in answer["hazards_without_leader"]]  # fmt: skip
    rows += [["language_gaps", u["pcode"], u["name"], " ".join(u["languages"])]
             for u in answer["language_gaps"]]  # fmt: skip
    return ["list", "pcode", "name", "detail"], rows


TOP = Option(
    "top", "int", gettext_lazy("only the first N"), minimum=1,
    message=gettext_lazy("The number of rows is a whole number, 1 or more."),
)  # fmt: skip
FRAMEWORK = Option(
    "framework", "int",
    gettext_lazy("strategy id (default: the national mine action strategy)"),
    default=_default_strategy, minimum=1,
    message=gettext_lazy("%(value)s is not a strategy number."),
)  # fmt: skip
COMMUNITY_LEVEL = Option(
    "level", "int", LEVEL.help, default=lambda options: default_level(), minimum=0, maximum=4,
    message=LEVEL.message,
)  # fmt: skip

ANALYSES: dict[str, Analysis] = {analysis.name: analysis for analysis in (
    Analysis(
        "gaps", gettext_lazy("Gaps"),
        gettext_lazy("need against response by admin unit and sector"),
        (LEVEL, SECTOR, START, END, THRESHOLD, BY), EVERYONE,
        lambda options, sole_user: gaps(analysis_connection(sole_user), _gap_options(options)),
        ("level", "units", "imprecise", "imprecise_count"), _gaps_columns,
        "analysis/gaps/", "gaps", "coordination/gaps.html", pages.gaps_context,
        pages.gaps_features,
        note=_gaps_note, disclose=disclosed_gaps, page_share=pages.gaps_share,
    ),
    Analysis(
        "duplicates", gettext_lazy("Duplications"),
        gettext_lazy("overlapping activity records"),
        (SECTOR, START, END,
         radius(5.0, gettext_lazy("distance in km under which two points meet"))),
        RECORD_READERS,
        lambda options, sole_user: duplicates(analysis_connection(sole_user), DuplicateOptions(
            radius_km=options["radius"], start=options["start"], end=options["end"],
            sector=options["sector"])),
        ("clusters", "double_reporting", "double_reporting_count"), _duplicates_columns,
        "analysis/duplicates/", "duplicates", "coordination/duplicates.html",
        pages.duplicates_context,
        note=_duplicates_note, page_share=pages.duplicates_share,
    ),
    Analysis(
        "equity", gettext_lazy("Equity"), gettext_lazy("need and response shares"),
        (LEVEL, SECTOR, START, END), EVERYONE,
        lambda options, sole_user: equity(analysis_connection(sole_user), GapOptions(
            level=options["level"], sector=options["sector"], start=options["start"],
            end=options["end"])),
        ("level", "sector", "units", "gini", "theil", "underserved", "territory_covered",
         "people_in_need_covered"), _equity_columns,
        "analysis/equity/", "equity", "coordination/equity.html", pages.equity_context,
        pages.equity_features,
        note=_equity_note,
    ),
    Analysis(
        "alignment", gettext_lazy("Alignment"),
        gettext_lazy("activities and funding against a strategy"),
        (FRAMEWORK, START, END), EVERYONE, _alignment,
        ("framework", "activities", "funding", "flows_pending_conversion", "pillars",
         "unaligned"), _alignment_columns,
        "analysis/alignment/", "alignment", "coordination/alignment.html",
        pages.alignment_context, note=_alignment_note,
    ),
    Analysis(
        "priorities", gettext_lazy("Priorities"),
        gettext_lazy("hazards and units ranked by the national authority's weights"),
        (LEVEL, radius(_weights_radius, gettext_lazy(
            "distance in km of the settlements and casualties counted around a hazard "
            "(default: the authority's)")), TOP),
        RECORD_READERS, _priorities,
        ("weights", "as_of", "radius_km", "level", "hazards", "units"), _priorities_columns,
        "analysis/priorities/", "priorities", "coordination/priorities.html",
        pages.priorities_context, pages.priorities_features,
    ),
    Analysis(
        "community", gettext_lazy("Community coverage"),
        gettext_lazy("priority units covered by community focal points"),
        (COMMUNITY_LEVEL,), RECORD_READERS,
        lambda options, sole_user: community_coverage(options["level"]),
        ("level", "priority_units", "covered", "share_covered", "uncovered",
         "hazards_without_leader", "language_gaps"), _community_columns,
        "communities/coverage/", "community_coverage", "coordination/community_coverage.html",
        pages.community_context, pages.community_features,
    ),
)}  # fmt: skip
