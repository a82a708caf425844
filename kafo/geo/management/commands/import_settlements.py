from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.geo.settlements import SettlementError, import_settlements


class Command(KafoCommand):
    help = gettext_lazy(
        "Import settlements (populated places) from a CSV with p-code, name, longitude and "
        "latitude into the active boundaries; importing again updates by p-code."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        try:
            report = import_settlements(path)
        except FileNotFoundError:
            raise CommandError(_("no file %s") % path) from None
        except UnicodeDecodeError:
            raise CommandError(_("the file is not UTF-8 text")) from None
        except SettlementError as error:
            lines = [_("row %(row)s, %(column)s “%(value)s”: %(reason)s")
                     % {"row": r, "column": c, "value": v, "reason": why}
                     for r, c, v, why in error.problems[:50]]  # fmt: skip
            raise CommandError(_("nothing imported:") + "\n" + "\n".join(lines)) from None
        self.stdout.write(
            _("%(created)d settlements created, %(updated)d updated, %(outside)d outside the "
              "boundaries.") % vars(report)
        )  # fmt: skip
        if report.disagree:
            self.stdout.write(
                _("%(disagree)d settlements have their point in another unit than their "
                  "p-code says (%(other_region)d in another region): they are kept where the "
                  "file places them, and flagged.") % vars(report)
            )  # fmt: skip
