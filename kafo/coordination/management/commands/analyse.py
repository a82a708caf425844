import csv
import datetime
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.analysis.alignment import AlignmentOptions, alignment
from kafo.analysis.duplicates import DuplicateOptions, duplicates
from kafo.analysis.equity import equity
from kafo.analysis.gaps import gaps
from kafo.analysis.priorities import PriorityOptions, priorities
from kafo.commands import KafoCommand
from kafo.interop.analysis_source import analysis_connection
from kafo.web.analysis import gap_options

ANALYSES = ["gaps", "duplicates", "equity", "alignment", "priorities", "community"]


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("%s is not a date (YYYY-MM-DD)") % text) from None


class Command(KafoCommand):
    help = gettext_lazy(
        "Coordination analysis: gaps (need against response by admin unit and sector), "
        "duplicates (overlapping activity records), equity (need and response shares), "
        "alignment (activities and funding against a strategy), priorities (hazards and units "
        "ranked by the national authority's weights), community (priority units covered by "
        "community focal points)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("analysis", choices=ANALYSES)
        parser.add_argument("--level", type=int, default=2, help=gettext_lazy("admin level"))
        parser.add_argument("--sector", help=gettext_lazy("one sector code (PRO-MIN…)"))
        parser.add_argument(
            "--by", choices=["sector", "activity-type"], default="sector",
            help=gettext_lazy("gaps per sector, or per mine action activity type"),
        )  # fmt: skip
        parser.add_argument("--from", dest="start", help=gettext_lazy("period start"))
        parser.add_argument("--to", dest="end", help=gettext_lazy("period end"))
        parser.add_argument(
            "--threshold", type=float, default=0.5,
            help=gettext_lazy("coverage under which a unit is below target"),
        )  # fmt: skip
        parser.add_argument("--top", type=int, help=gettext_lazy("only the first N (priorities)"))
        parser.add_argument(
            "--radius", type=float, default=None,
            help=gettext_lazy("distance in km under which two points meet (duplicates)"),
        )  # fmt: skip
        parser.add_argument(
            "--framework", type=int,
            help=gettext_lazy("strategy id (alignment; default: the national mine action "
                              "strategy)"),
        )  # fmt: skip
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")

    def handle(self, *args, analysis: str, level: int, sector, start, end, threshold, **options):
        if not 0 <= level <= 4:
            raise CommandError(_("The level must be between 0 and 4."))
        if analysis == "duplicates":
            return self._duplicates(sector, start, end, options)
        if analysis == "alignment":
            return self._alignment(start, end, options)
        if analysis == "priorities":
            return self._priorities(level, options)
        if analysis == "community":
            return self._community(level, options)
        analyse = equity if analysis == "equity" else gaps
        try:  # the filters read as the pages and the API read them
            gap_filters = gap_options({
                "level": str(level), "sector": sector, "start": start, "end": end,
                "threshold": str(threshold), "by": options["by"].replace("-", "_"),
            })  # fmt: skip
        except ValueError as error:
            raise CommandError(str(error)) from None
        by = gap_filters.by
        result = analyse(analysis_connection(sole_user=True), gap_filters)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
            return
        if analysis == "equity":
            return self._equity(result, options)
        columns = ["pcode", "name", "sector", "need", "targeted", "reached", "coverage",
                   "targeted_coverage", "class", "projected_class", "organisations"]  # fmt: skip
        if by == "activity_type":
            columns[3:4] = ["activity_type", "need", "hazards", "remaining_m2"]
        rows = [[("; ".join(u[c]) if c == "organisations" else u[c]) for c in columns]
                for u in result["units"]]  # fmt: skip
        if options["format"] == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(columns)
            writer.writerows(rows)
            return
        shown = [[str("—" if value is None else value) for value in row] for row in rows]
        widths = [max([len(c), *(len(row[i]) for row in shown)]) for i, c in enumerate(columns)]
        line = "  ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True))
        self.stdout.write(line)
        for row in shown:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
        if result["imprecise"]:
            self.stdout.write(
                _("%d activities are located only above this level (imprecise): not counted.")
                % len(result["imprecise"])
            )

    def _duplicates(self, sector, start, end, options) -> None:
        radius = 5.0 if options["radius"] is None else options["radius"]
        if radius < 0:
            raise CommandError(_("The radius is a distance in km, 0 or more."))
        result = duplicates(
            analysis_connection(sole_user=True),
            DuplicateOptions(radius_km=radius, sector=sector.upper() if sector else None,
                             start=_date(start) if start else None,
                             end=_date(end) if end else None),
        )  # fmt: skip
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        columns = [
            "kind",
            "score",
            "activity",
            "records",
            "organisations",
            "pcodes",
            "start",
            "end",
        ]
        rows = [[c["kind"], c["score"], c["activity"], "; ".join(c["records"]),
                 "; ".join(c["organisations"]), "; ".join(c["pcodes"]),
                 c["period"]["start"] or "", c["period"]["end"] or ""]
                for c in result["clusters"]]  # fmt: skip
        writer = csv.writer(self.stdout, delimiter="," if options["format"] == "csv" else "\t")
        writer.writerow(columns)
        writer.writerows(rows)
        if result["double_reporting"]:
            self.stderr.write(
                _("%d pairs come from the same organisation (possible double reporting).")
                % len(result["double_reporting"])
            )

    def _equity(self, result: dict, options) -> None:
        columns = ["pcode", "name", "need", "reached", "coverage", "need_share",
                   "response_share", "gap"]  # fmt: skip
        writer = csv.writer(self.stdout, delimiter="," if options["format"] == "csv" else "\t")
        writer.writerow(columns)
        writer.writerows([[u[c] for c in columns] for u in result["units"]])
        self.stderr.write(
            _("Covered: %(territory)s of the territory, %(people)s of the people in need; "
              "Gini of coverage %(gini)s.")
            % {"territory": result["territory_covered"], "people": result["people_in_need_covered"],
               "gini": result["gini"]}
        )  # fmt: skip

    def _alignment(self, start, end, options) -> None:
        from kafo.response.models import Framework, FrameworkKind

        framework_id = options["framework"]
        if framework_id is None:
            framework = (
                Framework.objects.filter(kind=FrameworkKind.MINE_ACTION_STRATEGY)
                .order_by("-end_year", "-pk")
                .first()
            )
            if framework is None:
                raise CommandError(_("No national mine action strategy: give --framework."))
            framework_id = framework.pk
        try:
            result = alignment(
                analysis_connection(sole_user=True),
                AlignmentOptions(framework_id=framework_id,
                                 start=_date(start) if start else None,
                                 end=_date(end) if end else None),
            )  # fmt: skip
        except ValueError:
            raise CommandError(_("No strategy %s with objectives.") % framework_id) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout, delimiter="," if options["format"] == "csv" else "\t")
        writer.writerow(["pillar", "title", "committed_usd", "disbursed_usd", "target_usd"])
        writer.writerows([[p["code"], p["title"], p["committed_usd"], p["disbursed_usd"],
                           p["target_usd"]] for p in result["pillars"]])  # fmt: skip
        funding = result["funding"]["disbursed"]
        self.stderr.write(
            _("Aligned: %(activities)s of the activities, %(funding)s of the disbursements "
              "(on budget: %(budget)s).")
            % {"activities": result["activities"]["aligned_share"],
               "funding": funding["aligned_share"], "budget": funding["on_budget_share"]}
        )  # fmt: skip

    def _priorities(self, level: int, options) -> None:
        from kafo.mineaction.models import PriorityWeights

        weights = PriorityWeights.current()
        radius = weights.radius_km if options["radius"] is None else options["radius"]
        if radius <= 0:
            raise CommandError(_("The radius is a distance in km, 0 or more."))
        result = priorities(
            analysis_connection(sole_user=True),
            PriorityOptions(weights=weights.as_dict(), radius_km=radius, level=level,
                            top=options["top"]),
        )  # fmt: skip
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        names = list(result["weights"])
        writer = csv.writer(self.stdout, delimiter="," if options["format"] == "csv" else "\t")
        writer.writerow(["rank", "hazard", "pcode", "score", *names])
        for hazard in result["hazards"]:
            contributions = [hazard["contributions"][name] for name in names]
            writer.writerow(
                [hazard["rank"], hazard["reference"], hazard["pcode"], hazard["score"],
                 *contributions]
            )  # fmt: skip

    def _community(self, level: int, options) -> None:
        from kafo.communities.coverage import community_coverage

        result = community_coverage(level)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
            return
        writer = csv.writer(self.stdout, delimiter="," if options["format"] == "csv" else "\t")
        writer.writerow(["list", "pcode", "name", "detail"])
        for unit in result["uncovered"]:
            writer.writerow(["uncovered", unit["pcode"], unit["name"], ""])
        for unit in result["hazards_without_leader"]:
            writer.writerow(["hazards_without_leader", unit["pcode"], unit["name"],
                             "casualties" if unit["casualties"] else ""])  # fmt: skip
        for unit in result["language_gaps"]:
            writer.writerow(["language_gaps", unit["pcode"], unit["name"],
                             " ".join(unit["languages"])])  # fmt: skip
