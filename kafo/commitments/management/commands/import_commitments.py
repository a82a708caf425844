import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.commitments.importing import (
    TABLE_SUFFIXES,
    TableError,
    import_commitments,
    import_commitments_table,
)  # fmt: skip
from kafo.commitments.models import CommitmentFrameworkKind
from kafo.commitments.paragraphs import DocumentError
from kafo.interop.hxl import HxlError


class Command(KafoCommand):
    help = gettext_lazy(
        "Turn a document (text, Word .docx or PDF) with numbered paragraphs into one draft "
        "commitment per paragraph of a framework, for review, with a proposed theme and the "
        "parties named; or import commitments from an HXL table (CSV, XLSX, JSON)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--framework", required=True, help=gettext_lazy("framework name"))
        parser.add_argument("--kind", choices=CommitmentFrameworkKind.values, default="communique",
                            help=gettext_lazy("kind of a new framework"))  # fmt: skip
        parser.add_argument("--language", choices=["fr", "en"], default="fr")
        parser.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))

    def handle(self, *args, path: Path, framework: str, kind: str, language: str, **options):
        try:
            if path.suffix.lower() in TABLE_SUFFIXES:
                report = import_commitments_table(path, framework, kind=kind)
            else:
                report = import_commitments(path, framework, kind=kind, language=language)
        except (DocumentError, HxlError) as error:
            raise CommandError(str(error)) from None
        except TableError as error:
            if options["json"]:
                self.stdout.write(json.dumps({"errors": error.errors}, ensure_ascii=False))
            raise CommandError(_("Nothing imported: %s") % error) from None
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
            return
        self.stdout.write(_(
            "%(framework)s: %(created)s draft commitments created, %(updated)s updated, "
            "%(kept)s kept."
        ) % report)  # fmt: skip
        for paragraph in report["paragraphs"]:
            line = (f"  §{paragraph['reference']:<6} {paragraph['outcome']:<8} "
                    f"{paragraph['pillar'] or '—':<6} {paragraph['text'][:70]}")  # fmt: skip
            self.stdout.write(line)
