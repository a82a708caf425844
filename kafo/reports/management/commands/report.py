import datetime
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
        "a calendar year, as Word (.docx), PDF (.pdf) or its Excel annex (.xlsx); or the "
        "monthly bulletin (PDF), national or public edition; or the country profile of a "
        "year (text, .docx or .pdf)."
    )

    def add_arguments(self, parser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        article7 = kinds.add_parser("article7")
        article7.add_argument("--treaty", required=True, choices=list(FORMS))
        article7.add_argument("--year", required=True, type=int, metavar="YYYY")
        article7.add_argument("-o", "--output", required=True, metavar="PATH.docx|.pdf|.xlsx")
        country = kinds.add_parser("profile")
        country.add_argument("--year", required=True, type=int, metavar="YYYY")
        country.add_argument("-o", "--output", metavar="PATH.docx|.pdf")
        monthly = kinds.add_parser("bulletin")
        monthly.add_argument("--month", required=True, metavar="YYYY-MM")
        monthly.add_argument("--language", choices=["fr", "en"], default="fr")
        monthly.add_argument("--edition", choices=["national", "public"], default="national")
        monthly.add_argument("-o", "--output", required=True, metavar="PATH.pdf")

    def handle(self, *args, **options) -> None:
        if options["kind"] == "bulletin":
            self._bulletin(options)
            return
        if options["kind"] == "profile":
            self._profile(options)
            return
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

    def _profile(self, options) -> None:
        from kafo.reports import profile

        year = options["year"]
        if not 1997 <= year <= datetime.date.today().year:
            raise CommandError(_("A report covers a year from 1997 to this one."))
        if not options["output"]:  # the profile as text, section by section
            heading, subtitle = profile.title(year)
            self.stdout.write(f"{heading}\n{subtitle}")
            for section in profile.build(year):
                self.stdout.write(f"\n## {section['title']}")
                for label, value, _link in section["rows"]:
                    self.stdout.write(f"- {label}: {value}")
                for words in (section["empty"], section.get("note", "")):
                    if words:
                        self.stdout.write(words)
            return
        path = Path(options["output"])
        kind = path.suffix.lower().lstrip(".")
        if kind not in ("docx", "pdf"):
            raise CommandError(_("%(path)s: a profile is written as .docx or .pdf.")
                               % {"path": path})  # fmt: skip
        if not path.parent.is_dir():
            raise CommandError(_("%(folder)s: no such folder.") % {"folder": path.parent})
        path.write_bytes(profile.document(year, kind))
        self.stdout.write(_("%(path)s: the country profile of %(year)s.")
                          % {"path": path, "year": year})  # fmt: skip

    def _bulletin(self, options) -> None:
        from django.utils import translation

        from kafo.reports import bulletin

        path = Path(options["output"])
        if path.suffix.lower() != ".pdf":
            raise CommandError(_("%(path)s: a bulletin is a .pdf file.") % {"path": path})
        if not path.parent.is_dir():
            raise CommandError(_("%(folder)s: no such folder.") % {"folder": path.parent})
        try:
            month = datetime.date.fromisoformat(f"{options['month']}-01")
        except ValueError as error:
            raise CommandError(_("%(month)s: a month is written YYYY-MM.")
                               % {"month": options["month"]}) from error  # fmt: skip
        if month > datetime.date.today():
            raise CommandError(_("%(month)s has not begun.") % {"month": options["month"]})
        with translation.override(options["language"]):
            path.write_bytes(bulletin.pdf(month, options["edition"]))
        self.stdout.write(
            _("%(path)s: the bulletin of %(month)s (%(edition)s).")
            % {"path": path, "month": options["month"], "edition": options["edition"]}
        )
