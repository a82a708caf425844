"""Joint plans computed by a worker, while the plan's page shows the time given to it."""

from django.utils.translation import gettext as _

from kafo.coordination.models import JointPlan, PlanStatus
from kafo.coordination.plans import compute
from kafo.tasks.jobs import Retry, job


def interrupted_reason(error: BaseException | None) -> str:
    if error is None:
        return _("Interrupted: the worker computing the plan stopped (a restart, a crash) "
                 "and the plan was tried as many times as it may be. "
                 "Start a new plan.")  # fmt: skip
    return _("The plan could not be computed: %s") % error


def _given_up(args: list, kwargs: dict, error: BaseException | None) -> None:
    JointPlan.objects.filter(
        pk=args[0] if args else kwargs["plan_pk"], status=PlanStatus.SOLVING
    ).update(status=PlanStatus.FAILED, message=interrupted_reason(error)[:2000])


@job(retry=Retry(attempts=2, backoff=5), given_up=_given_up, queue="plans")
def solve_plan(plan_pk: int) -> str:
    """Compute the plan (its result is saved in one transaction: run again after an
    interruption, it starts over; a plan already computed is left as it is). Returns the
    plan's status."""
    joint_plan = JointPlan.objects.filter(pk=plan_pk).first()
    if joint_plan is None:
        raise ValueError(_("joint plan %s no longer exists") % plan_pk)
    if joint_plan.status != PlanStatus.SOLVING:
        return joint_plan.status
    return compute(joint_plan).status
