from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.intake.xlsforms import FORM_KINDS, HAZARDS_FILE, XLSFormError, hazards_csv, written


class Command(KafoCommand):
    help = gettext_lazy(
        "Write Kafo's XLSForm of a kind of field report, for KoBoToolbox or ODK Central "
        "(and, for a land release activity, the open hazards as hazards.csv beside it)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=list(FORM_KINDS))
        parser.add_argument("-o", "--output", required=True, metavar="PATH.xlsx")

    def handle(self, *args, **options) -> None:
        path = Path(options["output"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("%(path)s: an XLSForm is an .xlsx file.") % {"path": path})
        if not path.parent.is_dir():
            raise CommandError(_("%(folder)s: no such folder.") % {"folder": path.parent})
        try:
            made = written(options["kind"])
        except XLSFormError as error:
            raise CommandError(str(error)) from error
        path.write_bytes(made.workbook())
        said = {"path": path, "form": made.form_id, "version": made.version}
        self.stdout.write(_("%(path)s: form %(form)s, version %(version)s.") % said)
        if any(row.get("type", "").endswith(HAZARDS_FILE) for row in made.survey):
            hazards = path.parent / HAZARDS_FILE
            hazards.write_bytes(hazards_csv())
            self.stdout.write(_("%(path)s: the open hazards, to attach to the form.")
                              % {"path": hazards})  # fmt: skip
