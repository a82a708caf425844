from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.interop.iati_export import IatiSchemaError, write_iati
from kafo.response.models import Activity
from kafo.security import audit
from kafo.security.disclosure import Audience, readable
from kafo.security.models import Action


class Command(KafoCommand):
    help = gettext_lazy(
        "Export Kafo's activities as IATI 2.03 XML, checked against the official schema "
        "(public information only: places are admin units)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", required=True, help=gettext_lazy("file to write"))
        parser.add_argument("--language", default="fr", help=gettext_lazy("xml:lang (fr)"))

    def handle(self, *args, output: str, language: str, **options):
        activities = readable(Audience(), Activity.objects.order_by("pk"))
        try:
            written, skipped = write_iati(output, activities, language=language)
        except IatiSchemaError as error:
            raise CommandError(_("the IATI file would not be valid: %s") % error) from None
        except OSError as error:
            raise CommandError(
                _("cannot write %(path)s: %(error)s") % {"path": output, "error": error}
            ) from None
        audit.record(
            Action.EXPORT, object_type="activities", username="kafo export-iati",
            changes={"rows": written, "format": "iati", "file": Path(output).name},
        )  # fmt: skip
        self.stdout.write(
            _("%(count)d activities written to %(path)s (valid IATI 2.03).")
            % {"count": written, "path": output}
        )
        if skipped:
            self.stdout.write(
                _("%d activities left out: IATI needs at least one date (start or end).") % skipped
            )
