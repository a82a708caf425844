from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.web.inbox import inbox, notice_recipients, waiting_count


class Command(KafoCommand):
    help = gettext_lazy(
        "E-mail each person what waits for them (their home inbox), unless they turned "
        "notices off; run it daily."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help=gettext_lazy("count, send nothing"))  # fmt: skip

    def handle(self, *args, dry_run: bool = False, **options):
        sent = 0
        for user in notice_recipients():
            trays = [tray for tray in inbox(user) if tray.count]
            if not trays:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = digest(trays)
            if not dry_run:
                send_mail(subject, body, None, [user.email])
            sent += 1
        self.stdout.write(_("%(count)s notice e-mails sent.") % {"count": sent}
                          if not dry_run else _("%(count)s notice e-mails to send.")
                          % {"count": sent})  # fmt: skip


def digest(trays) -> tuple[str, str]:
    """The subject and text of one person's notice e-mail."""
    subject = _("Kafo: %(count)s things wait for you") % {"count": waiting_count(trays)}
    lines = []
    for tray in trays:
        lines.append(f"{tray.title} ({tray.count}) — {settings.KAFO_BASE_URL}{tray.url}")
        lines.extend(f"  · {text}" for text, _url in tray.items)
        lines.append("")
    lines.append(_("Turn these e-mails off on your account page: %(url)s")
                 % {"url": f"{settings.KAFO_BASE_URL}/accounts/security/"})  # fmt: skip
    return subject, "\n".join(lines)
