"""Accreditations about to expire: each morning, the editors of an organisation whose
accreditation expires within 60 days (and the coordination) get one e-mail about it, once
per accreditation and expiry date."""

import datetime
import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kafo.actors.models import Accreditation, AccreditationStatus, Role
from kafo.tasks.jobs import Retry, job
from kafo.tasks.messages import send_once

NOTICE_DAYS = 60


def expiring(today: datetime.date) -> list[Accreditation]:
    """Active accreditations expiring from today to NOTICE_DAYS ahead."""
    return list(Accreditation.objects.filter(
        status=AccreditationStatus.ACTIVE, expires__gte=today,
        expires__lte=today + datetime.timedelta(days=NOTICE_DAYS),
    ).select_related("organisation").order_by("expires"))  # fmt: skip


@job(retry=Retry(attempts=3, backoff=600), queue="periodic")
def notify_accreditation_expiries() -> int:
    """E-mail the organisation's editors and the coordination (who take notices) of each
    accreditation expiring within 60 days; once per accreditation and expiry date. How
    many e-mails."""
    today = timezone.localdate()
    sent = 0
    people = (get_user_model().objects.filter(is_active=True, membership__email_notices=True)
              .exclude(email=""))  # fmt: skip
    register = f"{settings.KAFO_BASE_URL}{reverse('actors:accreditations')}"
    with translation.override(settings.LANGUAGE_CODE):
        for accreditation in expiring(today):
            expires = accreditation.expires
            assert expires is not None  # expiring() keeps those with a date
            to = people.filter(
                membership__organisation_id=accreditation.organisation_id,
                membership__role__in=[Role.PARTNER_EDITOR, Role.COORDINATOR],
            ) | people.filter(membership__role=Role.COORDINATOR)
            subject = _("Kafo: the accreditation of %(organisation)s for %(activity)s expires "
                        "on %(date)s") % {
                "organisation": accreditation.organisation,
                "activity": accreditation.get_activity_display(),
                "date": expires.isoformat(),
            }  # fmt: skip
            days = (expires - today).days
            body = "\n".join([
                _("%(days)d days left. After that date its teams are no longer planned for "
                  "this work, nor shown as accredited on the sharing board.") % {"days": days},
                "", _("The register: %s") % register,
            ])  # fmt: skip
            for person in to.distinct():
                message = EmailMessage(subject, body, None, [person.email])
                key = f"accreditation:{accreditation.pk}:{expires}:{person.pk}"
                sent += send_once(key, functools.partial(message.send))
    return sent
