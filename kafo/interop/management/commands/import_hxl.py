import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.interop.batches import print_report
from kafo.interop.importers import IMPORTERS, PLACED_KINDS
from kafo.interop.progress import ProgressBar


class Command(KafoCommand):
    help = gettext_lazy(
        "Import an HXL file (CSV, XLSX or JSON) as one batch: all or nothing unless "
        "--accept-valid; rejected rows are kept with their reasons."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--kind", choices=sorted(IMPORTERS), default="activities")
        parser.add_argument(
            "--accept-valid", action="store_true",
            help=gettext_lazy("import the valid rows even if others are rejected"),
        )  # fmt: skip
        parser.add_argument(
            "--mapping", help=gettext_lazy("JSON file mapping the file's names to Kafo codes")
        )
        parser.add_argument(
            "--cod-version", metavar="NAME",
            help=gettext_lazy("the file's p-codes are those of this stored COD version "
                              "(mapped to the active one where the units are the same)"),
        )  # fmt: skip
        parser.add_argument(
            "--year", type=int, metavar="YYYY",
            help=gettext_lazy("the year of figures or months given without one (needs, "
                              "activities)"),
        )  # fmt: skip
        parser.add_argument(
            "--sheet", help=gettext_lazy("the workbook's sheet (default: the first with a "
                                         "hashtag row)"),
        )  # fmt: skip
        parser.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))

    def handle(
        self, *args, path: str, kind: str, accept_valid: bool, mapping: str | None, **options
    ):
        chosen = {}
        if options["cod_version"]:
            if kind not in PLACED_KINDS:
                raise CommandError(_("--cod-version is for the kinds %s") % ", ".join(PLACED_KINDS))
            chosen["cod_version"] = options["cod_version"]
        if options["year"] is not None:
            if kind not in PLACED_KINDS or not 1900 <= options["year"] <= 2100:
                raise CommandError(
                    _("--year YYYY (1900 to 2100) is for the kinds %s") % ", ".join(PLACED_KINDS)
                )
            chosen["year"] = options["year"]
        if options["sheet"]:
            chosen["sheet"] = options["sheet"]
        names = {}
        if mapping:
            try:
                names = json.loads(Path(mapping).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as error:
                raise CommandError(
                    _("cannot read the mapping %(path)s: %(error)s")
                    % {"path": mapping, "error": error}
                ) from None
        with ProgressBar(self.stderr) as bar:
            batch = IMPORTERS[kind](
                path, accept_valid=accept_valid, mapping=names, progress=bar, **chosen
            )
        print_report(self.stdout, batch, as_json=options["json"])
