"""What is new in the library, by e-mail: each Monday morning, each person who asked for it
gets the documents and lessons added since the last e-mail that they may read (none when
nothing is new), once a week."""

import datetime
import functools

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kafo.library.models import DigestSubscription
from kafo.library.services import readable_items, readable_lessons
from kafo.tasks.jobs import Retry, job
from kafo.tasks.messages import send_once

FIRST_WEEK = datetime.timedelta(days=7)


def digest_lines(user, since: datetime.datetime, until: datetime.datetime) -> list[str]:
    """The lines of one person's digest: what they may read, added in the period."""
    base = settings.KAFO_BASE_URL
    lines = []
    for item in readable_items(user).filter(created_at__gt=since, created_at__lte=until):
        lines.append(f"- {item.title} ({item.get_item_type_display()}) "
                     f"{base}{item.get_absolute_url()}")  # fmt: skip
    for lesson in readable_lessons(user).filter(created_at__gt=since, created_at__lte=until):
        lines.append(f"- {_('Lesson learned')}: {lesson.title} {base}{lesson.get_absolute_url()}")
    return lines


@job(retry=Retry(attempts=3, backoff=600), queue="periodic")
def send_library_digest() -> int:
    """E-mail each subscriber what is new to them in the library since their last e-mail
    (a week for the first). How many e-mails."""
    now = timezone.now()
    sent = 0
    subscriptions = (DigestSubscription.objects.filter(active=True, user__is_active=True)
                     .exclude(user__email="").select_related("user"))  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        for subscription in subscriptions:
            since = subscription.last_sent_at or now - FIRST_WEEK
            lines = digest_lines(subscription.user, since, now)
            if lines:
                subject = _("Kafo: %(n)d new in the library") % {"n": len(lines)}
                page = f"{settings.KAFO_BASE_URL}{reverse('library:new')}"
                body = "\n".join([*lines, "", _("What is new, and to stop these e-mails: %s")
                                  % page])  # fmt: skip
                message = EmailMessage(subject, body, None, [subscription.user.email])
                # One e-mail per period: a retry after a crash sends this one again only once.
                key = f"library-digest:{subscription.pk}:{since.isoformat()}"
                sent += send_once(key, functools.partial(message.send))
            subscription.last_sent_at = now
            subscription.save(update_fields=["last_sent_at"])
    return sent
