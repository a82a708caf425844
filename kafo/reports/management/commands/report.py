from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.reports import treaty
from kafo.reports.article7 import FORMS


class Command(KafoCommand):
    help = gettext_lazy(
        "Write a treaty report drafted from the validated records: the Article 7 report of "
        "the Ottawa Convention (apmbc) or of the Convention on Cluster Munitions (ccm) for "
        "a calendar year, as Word (.docx), PDF (.pdf) or its Excel annex (.xlsx)."
    )

    def add_arguments(self, parser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        article7 = kinds.add_parser("article7")
        article7.add_argument("--treaty", required=True, choices=list(FORMS))
        article7.add_argument("--year", required=True, type=int, metavar="YYYY")
        article7.add_argument("-o", "--output", required=True, metavar="PATH.docx|.pdf|.xlsx")

    def handle(self, *args, **options) -> None:
        path = Path(options["output"])
        kind = path.suffix.lower().lstrip(".")
        if kind not in treaty.FORMATS:
            raise CommandError(_("%(path)s: a report is written as .docx, .pdf or .xlsx.")
                               % {"path": path})  # fmt: skip
        if not path.parent.is_dir():
            raise CommandError(_("%(folder)s: no such folder.") % {"folder": path.parent})
        try:
            report = treaty.report_for(options["treaty"], options["year"])
            content = treaty.document(report, kind)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        path.write_bytes(content)
        self.stdout.write(
            _("%(path)s: %(report)s (%(status)s).")
            % {"path": path, "report": report, "status": report.get_status_display()}
        )
