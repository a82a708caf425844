from django.utils.translation import gettext_lazy as _

from kafo.commands import KafoCommand
from kafo.security.personal import apply_retention


class Command(KafoCommand):
    help = _("Anonymise the personal data that the retention rules say is past its time.")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Only count what would be anonymised.")
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        counts = apply_retention(dry_run=dry_run)
        for model, count in counts.items():
            self.stdout.write(f"{model}: {count}")
        if not counts:
            self.stdout.write(str(_("No retention rule is set.")))
