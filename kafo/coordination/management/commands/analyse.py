import csv
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.coordination.options import Unavailable
from kafo.coordination.registry import ANALYSES

# Every option of the registry once (analyses share level, sector, the period…).
OPTIONS = {option.name: option for analysis in ANALYSES.values() for option in analysis.options}


class Command(KafoCommand):
    help = gettext_lazy("Coordination analysis")

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Each analysis with what it gives, in the active language.
        self.help = _("Coordination analysis") + ": " + "; ".join(
            f"{name} ({analysis.summary})" for name, analysis in ANALYSES.items()
        ) + "."  # fmt: skip
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("analysis", choices=list(ANALYSES))
        for name, option in OPTIONS.items():
            takes = ", ".join(a for a, analysis in ANALYSES.items()
                              if any(o.name == name for o in analysis.options))  # fmt: skip
            parser.add_argument(option.argument, dest=name, default=None,
                                help=f"{option.help} ({takes})")  # fmt: skip
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")

    def handle(self, *args, analysis: str, format: str, **given) -> None:
        chosen = ANALYSES[analysis]
        taken = {option.name for option in chosen.options}
        extra = [OPTIONS[name].argument for name, value in given.items()
                 if name in OPTIONS and value is not None and name not in taken]  # fmt: skip
        if extra:
            raise CommandError(_("%(analysis)s does not take %(options)s.") % {
                "analysis": analysis, "options": ", ".join(extra)})  # fmt: skip
        try:
            options = chosen.read({name: given.get(name) for name in taken})
            answer = chosen.run(options, sole_user=True)
        except (ValueError, Unavailable) as error:
            raise CommandError(str(error)) from None
        if format == "json":
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2, default=str))
            return
        columns, rows = chosen.columns(answer)
        if format == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(columns)
            writer.writerows(rows)
        else:
            self._table(columns, rows)
        if note := chosen.note(answer):
            self.stderr.write(note)

    def _table(self, columns: list[str], rows: list[list]) -> None:
        """Columns aligned for reading in a terminal."""
        shown = [[str("—" if value is None else value) for value in row] for row in rows]
        widths = [max([len(c), *(len(row[i]) for row in shown)]) for i, c in enumerate(columns)]
        self.stdout.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
        for row in shown:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
