"""Deadlines told to the responsible organisations' users, by e-mail (Django's mail
backend): commitments due within the notice period or overdue, not yet fully done."""

import datetime
import functools

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from kafo.commitments.models import Commitment, Score
from kafo.commitments.rollup import latest_scores
from kafo.tasks.messages import send_once


def due(today: datetime.date, days: int) -> list[Commitment]:
    """Reviewed commitments with a deadline before `today + days`, not scored 3."""
    commitments = list(
        Commitment.objects.filter(draft=False, deadline__lte=today + datetime.timedelta(days=days))
        .select_related("framework").prefetch_related("responsible")
    )  # fmt: skip
    scores: dict[int, int | None] = {}
    for framework in {c.framework for c in commitments}:
        scores.update(latest_scores(framework))
    return [c for c in commitments if scores.get(c.pk) != Score.FULL]


def notify(today: datetime.date, days: int = 30) -> dict[str, int]:
    """One e-mail per user of each responsible organisation listing its commitments due
    or overdue. Returns the counts sent."""
    by_organisation: dict[int, list[Commitment]] = {}
    for commitment in due(today, days):
        for organisation in commitment.responsible.all():
            by_organisation.setdefault(organisation.pk, []).append(commitment)
    users = get_user_model().objects.filter(
        is_active=True, membership__organisation_id__in=by_organisation,
        membership__email_notices=True,
    ).exclude(email="").select_related("membership__organisation")  # fmt: skip
    sent = 0
    for user in users:
        mine = by_organisation[user.membership.organisation_id]
        lines = [
            ("⚠ " if c.deadline < today else "") + _("%(framework)s §%(ref)s — due %(date)s: "
                                                    "%(text)s") % {
                "framework": c.framework.name, "ref": c.reference, "date": c.deadline,
                "text": c.text[:160]}
            for c in sorted(mine, key=lambda c: c.deadline)
        ]  # fmt: skip
        subject = _("Kafo: %(count)s commitments due or overdue") % {"count": len(mine)}
        sent += send_once(
            f"deadlines:{today:%Y-%m-%d}:{user.pk}",
            functools.partial(send_mail, subject, "\n".join(lines), None, [user.email]),
        )
    return {"organisations": len(by_organisation), "emails": sent}
