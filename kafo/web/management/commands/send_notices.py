from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.web.notices import send_notices


class Command(KafoCommand):
    help = gettext_lazy(
        "E-mail each person what waits for them (their home inbox), unless they turned "
        "notices off; the workers run it daily (KAFO_SCHEDULE)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help=gettext_lazy("count, send nothing"))  # fmt: skip

    def handle(self, *args, dry_run: bool = False, **options):
        sent = send_notices(timezone.localdate(), dry_run=dry_run)
        self.stdout.write(_("%(count)s notice e-mails sent.") % {"count": sent}
                          if not dry_run else _("%(count)s notice e-mails to send.")
                          % {"count": sent})  # fmt: skip
