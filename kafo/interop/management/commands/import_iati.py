from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.interop.batches import print_report
from kafo.interop.iati_import import import_iati
from kafo.interop.progress import ProgressBar


class Command(KafoCommand):
    help = gettext_lazy(
        "Import an IATI activity file (2.03; 2.01, 2.02 and 1.0x best effort) as one batch, "
        "read as a stream whatever its size: all or nothing unless --accept-valid."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--country", help=gettext_lazy("only activities for this recipient country (ML)")
        )
        parser.add_argument(
            "--accept-valid", action="store_true",
            help=gettext_lazy("import the valid activities even if others are rejected"),
        )  # fmt: skip
        parser.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))

    def handle(self, *args, path: str, country: str | None, accept_valid: bool, **options):
        with ProgressBar(self.stderr, unit=_("bytes")) as bar:
            batch = import_iati(path, country=country, accept_valid=accept_valid, progress=bar)
        print_report(self.stdout, batch, as_json=options["json"])
