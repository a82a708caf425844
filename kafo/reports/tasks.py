"""The reports' periodic task: on the 1st of each month, the bulletin of the month
before, e-mailed to those who asked for it (their account page), in the edition their
role may read."""

import datetime
import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kafo.reports import bulletin
from kafo.security.disclosure import Audience
from kafo.tasks.jobs import Retry, job
from kafo.tasks.messages import send_once


def edition_for(user) -> str:
    """The public edition for those who see aggregates only (donors), else the national."""
    return bulletin.PUBLIC if Audience.of(user).aggregates_only else bulletin.NATIONAL


@job(retry=Retry(attempts=3, backoff=600), queue="periodic")
def send_bulletins(month: str = "") -> int:
    """E-mail the bulletin of `month` (YYYY-MM; by default the month before this one) to
    each person who asked for it, once (a retry skips those already sent). How many."""
    if month:
        first = datetime.date.fromisoformat(f"{month}-01")
    else:
        first = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    readers = (get_user_model().objects.filter(is_active=True, membership__email_bulletin=True)
               .exclude(email="").select_related("membership"))  # fmt: skip
    made: dict[str, bytes] = {}
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in readers:
            edition = edition_for(user)
            if edition not in made:
                made[edition] = bulletin.pdf(first, edition)
            subject = _("Kafo: the mine action bulletin of %(month)s") % {"month": f"{first:%Y-%m}"}
            body = _("The bulletin is attached. Stop it on your account page: %(url)s") % {
                "url": f"{settings.KAFO_BASE_URL}/accounts/security/"
            }
            message = EmailMessage(subject, body, None, [user.email])
            message.attach(f"kafo-bulletin-{first:%Y-%m}.pdf", made[edition], "application/pdf")
            sent += send_once(f"bulletin:{first:%Y-%m}:{user.pk}",
                              functools.partial(message.send))  # fmt: skip
    return sent
