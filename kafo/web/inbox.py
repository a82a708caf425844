"""What waits for a person: the home page's inbox and the daily e-mail of the same.

Each tray lists what the person may act on (or, for overdue commitments, what their
organisation must do), newest or most urgent first, with a link to where it is done.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kafo.actors.permissions import can_create, is_coordinator, membership_of
from kafo.commitments.notifications import due
from kafo.communities.models import Alert, AlertStatus
from kafo.coordination.models import AssignmentAnswer, PlanAssignment, PlanStatus
from kafo.mineaction.models import FieldReport
from kafo.mineaction.views import waiting_for
from kafo.response.models import Loan, LoanStatus
from kafo.security.disclosure import readable

SHOWN = 5  # items listed per tray; the count says how many in all


@dataclass
class Tray:
    """One kind of thing waiting: how many, where to act, the first few."""

    key: str
    title: str
    url: str
    count: int = 0
    items: list[tuple[str, str]] = field(default_factory=list)


def _reports(user) -> Tray:

    waiting = waiting_for(user, readable(user, FieldReport.objects.all())).order_by("-pk")
    url = f"{reverse('mineaction:reports')}?status=waiting"
    return Tray("reports", _("Field reports waiting for your step"), url, waiting.count(),
                [(f"{r.reference} · {r.get_kind_display()} · {r.get_status_display()}",
                  reverse("mineaction:report", args=[r.reference]))
                 for r in waiting[:SHOWN]])  # fmt: skip


def _loans(user) -> Tray:
    loans = Loan.objects.filter(status=LoanStatus.REQUESTED).select_related(
        "resource", "borrower").order_by("start")  # fmt: skip
    if not is_coordinator(user):
        loans = loans.filter(resource__organisation_id=membership_of(user).organisation_id)
    return Tray("loans", _("Loan requests to answer"), reverse("response:sharing_board"),
                loans.count(),
                [(f"{loan.resource.name} · {loan.borrower} · {loan.start:%d/%m/%Y}",
                  loan.resource.get_absolute_url()) for loan in loans[:SHOWN]])  # fmt: skip


def _alerts(user) -> Tray:

    alerts = Alert.objects.filter(status=AlertStatus.RECEIVED).select_related("admin_unit")
    if not is_coordinator(user):
        alerts = alerts.filter(organisation_id=membership_of(user).organisation_id)
    alerts = alerts.order_by("reported_at")
    return Tray("alerts", _("Community alerts waiting for an outcome"),
                reverse("communities:alerts"), alerts.count(),
                [(f"{a.get_kind_display()} · {a.admin_unit.name if a.admin_unit else ''} · "
                  f"{timezone.localtime(a.reported_at):%d/%m/%Y %H:%M}",
                  reverse("communities:alerts")) for a in alerts[:SHOWN]])  # fmt: skip


def _commitments(user, today: datetime.date) -> Tray:

    organisation_id = membership_of(user).organisation_id
    late = [c for c in due(today, 0) if c.deadline < today
            and any(o.pk == organisation_id for o in c.responsible.all())]  # fmt: skip
    late.sort(key=lambda c: c.deadline)
    return Tray("commitments", _("Overdue commitments of your organisation"),
                reverse("commitments:frameworks"), len(late),
                [(f"{c.framework.name} §{c.reference} · {c.deadline:%d/%m/%Y}",
                  reverse("commitments:commitment", args=[c.pk]))
                 for c in late[:SHOWN]])  # fmt: skip


def _assignments(user) -> Tray:

    pending = (
        PlanAssignment.objects.filter(
            answer=AssignmentAnswer.PENDING,
            plan__status__in=[PlanStatus.DRAFT, PlanStatus.DISCUSSED],
        )
        .select_related("plan", "resource", "admin_unit")
        .order_by("month", "pk")
    )
    if not is_coordinator(user):
        pending = pending.filter(organisation_id=membership_of(user).organisation_id)
    return Tray("assignments", _("Joint plan assignments to accept or decline"),
                reverse("plans"), pending.count(),
                [(f"{a.plan.name} · {a.resource.name} · {a.task_type} · "
                  f"{a.admin_unit.name} · {a.month:%m/%Y}",
                  reverse("plan", args=[a.plan_id]))
                 for a in pending[:SHOWN]])  # fmt: skip


def inbox(user, today: datetime.date | None = None) -> list[Tray]:
    """The trays of what waits for this person (empty for those who cannot act)."""
    membership = membership_of(user)
    if membership is None:
        return []
    today = today or timezone.localdate()
    trays = [_commitments(user, today)]
    if can_create(user):
        trays = [_reports(user), _loans(user), _alerts(user), _assignments(user), *trays]
    return trays


def waiting_count(trays: list[Tray]) -> int:
    return sum(tray.count for tray in trays)


def notice_recipients():
    """The people who get the daily e-mail: active, with an address, notices on."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(is_active=True, membership__email_notices=True)
            .exclude(Q(email="") | Q(email__isnull=True)).select_related("membership"))  # fmt: skip
