"""The action points' reminders: each morning, each organisation owing an action point
that is overdue or due within a week gets one e-mail listing them (its editors and the
person named, when they have an account), once a day."""

import datetime
import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kafo.actors.models import Role
from kafo.meetings.models import ActionPoint, ActionStatus
from kafo.tasks.jobs import Retry, job
from kafo.tasks.messages import send_once

AHEAD_DAYS = 7


def reminders(today: datetime.date) -> dict[int, list[ActionPoint]]:
    """The open action points overdue or due within a week, by owner organisation."""
    due = (ActionPoint.objects.filter(status=ActionStatus.OPEN,
                                      deadline__lte=today + datetime.timedelta(days=AHEAD_DAYS))
           .select_related("owner", "meeting__body").order_by("deadline"))  # fmt: skip
    by_owner: dict[int, list[ActionPoint]] = {}
    for action in due:
        by_owner.setdefault(action.owner_id, []).append(action)
    return by_owner


@job(retry=Retry(attempts=3, backoff=600), queue="periodic")
def remind_action_points() -> int:
    """E-mail each owner organisation's editors (who take notices) its action points
    overdue or due within a week; once a day per person. How many e-mails."""
    today = timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for owner_id, actions in reminders(today).items():
            people = (get_user_model().objects.filter(
                is_active=True, membership__organisation_id=owner_id,
                membership__role__in=[Role.PARTNER_EDITOR, Role.COORDINATOR],
                membership__email_notices=True).exclude(email=""))  # fmt: skip
            lines = [
                (_("OVERDUE") + " · " if a.is_overdue(today) else "")
                + f"{a.deadline:%Y-%m-%d} · {a.text[:200]} ({a.meeting.body}, {a.meeting.title})"
                for a in actions
            ]  # fmt: skip
            board = f"{settings.KAFO_BASE_URL}{reverse('meetings:actions')}?organisation={owner_id}"
            subject = _("Kafo: %(n)s action points to complete") % {"n": len(actions)}
            body = "\n".join([*lines, "", _("Update them on: %(url)s") % {"url": board}])
            for person in people:
                message = EmailMessage(subject, body, None, [person.email])
                sent += send_once(f"actions:{today:%Y-%m-%d}:{person.pk}",
                                  functools.partial(message.send))  # fmt: skip
    return sent
