"""The daily e-mail of what waits for each person (their home inbox)."""

import datetime
import functools

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from kafo.tasks.messages import send_once
from kafo.web.inbox import inbox, notice_recipients, waiting_count


def send_notices(today: datetime.date, *, dry_run: bool = False) -> int:
    """E-mail each person with something waiting, once a day (a retry of the same day
    skips those already e-mailed). How many e-mails were (or, dry, would be) sent."""
    sent = 0
    for user in notice_recipients():
        trays = [tray for tray in inbox(user) if tray.count]
        if not trays:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = digest(trays)
        if dry_run:
            sent += 1
            continue
        sent += send_once(
            f"notices:{today:%Y-%m-%d}:{user.pk}",
            functools.partial(send_mail, subject, body, None, [user.email]),
        )
    return sent


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
