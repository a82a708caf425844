from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.interop.iati_export import (
    NO_DATE,
    NO_PUBLISHER,
    IatiSchemaError,
    NothingToPublish,
    write_iati,
)
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
        except NothingToPublish as error:
            reasons = _reasons(error.left_out)
            raise CommandError(
                _("no activity can be published. %s") % " ".join(reasons)
                if reasons
                else _("there is no activity to publish.")
            ) from None
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
        for line in _reasons(skipped):
            self.stdout.write(line)


def _reasons(left_out: dict[str, int]) -> list[str]:
    """Why activities were left out, one line per reason."""
    lines = []
    if left_out.get(NO_DATE):
        lines.append(
            _("%d activities left out: IATI needs at least one date (start or end).")
            % left_out[NO_DATE]
        )
    if left_out.get(NO_PUBLISHER):
        lines.append(
            _("%d activities left out: their identifier needs an IATI organisation "
              "reference (the organisation's IATI identifier, or KAFO_IATI_PUBLISHER_REF "
              "for the platform).") % left_out[NO_PUBLISHER]
        )  # fmt: skip
    return lines
