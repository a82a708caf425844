from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.interop.exports import AUDIENCES, export_kinds, hxl_table
from kafo.security import audit
from kafo.security.disclosure import Audience
from kafo.security.exports import write_table
from kafo.security.models import Action


class Command(KafoCommand):
    help = gettext_lazy(
        "Export records as HXL (CSV with a hashtag row), with what the audience may see."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=export_kinds())
        parser.add_argument("-o", "--output", required=True, help=gettext_lazy("file to write"))
        parser.add_argument(
            "--audience", choices=sorted(AUDIENCES), default="partners",
            help=gettext_lazy("what the file may hold (default: what any partner sees)"),
        )  # fmt: skip
        parser.add_argument("--user", help=gettext_lazy("export what this user sees"))

    def handle(self, *args, kind: str, output: str, audience: str, user: str | None, **options):
        viewer = AUDIENCES[audience]
        person = None
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(_("no user %s") % user)
            viewer = Audience.of(person)
        header, hashtags, rows = hxl_table(kind, viewer)
        if not hashtags:
            # Not even a column: the audience reads no record of this kind (an empty file
            # would look like "none exist").
            raise CommandError(
                _("the audience %(audience)s may read no %(kind)s record, only aggregates: "
                  "choose --audience partners or national") % {"audience": audience, "kind": kind}
            )  # fmt: skip
        event = audit.record(
            Action.EXPORT, user=person, object_type=kind,
            username=person.get_username() if person else f"kafo export-hxl ({audience})",
            changes={"rows": len(rows), "format": "hxl", "file": Path(output).name},
        )  # fmt: skip
        try:
            with open(output, "w", encoding="utf-8-sig", newline="") as stream:
                write_table(stream, event, header, rows, hashtags)
        except OSError as error:
            raise CommandError(
                _("cannot write %(path)s: %(error)s") % {"path": output, "error": error}
            ) from None
        self.stdout.write(
            _("%(rows)d rows written to %(path)s.") % {"rows": len(rows), "path": output}
        )
