import json
import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.geo.importing import import_boundaries


class Command(KafoCommand):
    help = gettext_lazy(
        "Import OCHA COD-AB boundaries (shapefile, GeoPackage, GeoJSON, zip; a file or a folder)."
    )

    def add_base_argument(self, parser, *args, **kwargs):
        # --version names the COD version here, not Django's version.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help=_("a file, a zip archive or a folder with one file per level")
        )
        parser.add_argument(
            "--version",
            dest="cod_version",
            help=_("version name (default: the file or folder name)"),
        )
        parser.add_argument("--country", help=_("ISO2 or ISO3 code, if the p-codes do not tell it"))
        parser.add_argument(
            "--no-activate", action="store_true", help=_("keep the current active version")
        )
        parser.add_argument("--json", action="store_true", help=_("print the report as JSON"))

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = import_boundaries(
            options["path"],
            options["cod_version"],
            country=options["country"],
            activate=not options["no_activate"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            if not report.ok:
                raise SystemExit(1)
            return
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(count)d problem(s) found; nothing was imported.")
                % {"count": len(report.errors)}
            )
        counts = ", ".join(
            _("level %(level)d: %(count)d") % {"level": level, "count": count}
            for level, count in sorted(report.levels.items())
        )
        self.stdout.write(
            _("Imported %(country)s version %(version)s (%(counts)s) in %(seconds).1f s.")
            % {
                "country": report.country,
                "version": report.version,
                "counts": counts,
                "seconds": time.perf_counter() - started,
            }
        )
        if report.moved_by_pcode or report.moved_by_point or report.to_review:
            self.stdout.write(
                _("Records of the previous version: %(pcode)d moved to the same unit, "
                  "%(point)d placed by their point, %(review)d to review (page Admin units).")
                % {"pcode": report.moved_by_pcode, "point": report.moved_by_point,
                   "review": report.to_review}
            )  # fmt: skip
