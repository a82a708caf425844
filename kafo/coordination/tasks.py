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


WARMED_KEY = "kafo:analysis:warmed"


@job(queue="periodic")
def warm_analyses() -> dict[str, str]:
    """After a change of the data, compute each analysis with its default options (what a
    page opened from the menu asks), so that its first reader does not wait. Each
    analysis that cannot answer says why; the others are kept."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from kafo.coordination.cache import data_version
    from kafo.coordination.options import Unavailable
    from kafo.coordination.registry import ANALYSES

    if not settings.KAFO_ANALYSIS_CACHE:
        return {}
    version = data_version()
    if cache.get(WARMED_KEY) == version:
        return {}
    done = {}
    with translation.override(settings.LANGUAGE_CODE):
        for name, analysis in ANALYSES.items():
            try:
                analysis.warm(analysis.read({}))
                done[name] = "computed"
            except (Unavailable, ValueError) as error:
                done[name] = str(error)
    cache.set(WARMED_KEY, version, None)
    return done


# A refresh waits this long before it computes: changes in a row (an editor's edits, the
# files of an import one after the other) are then computed once, for the last one.
REFRESH_DELAY_SECONDS = 5


def ask_refresh(name: str, options: dict, language: str) -> None:
    """Enqueue `refresh_analysis`, to run REFRESH_DELAY_SECONDS from now where the tasks'
    backend can wait (a worker), at once where it cannot (tasks run in the request)."""
    import datetime

    from django.utils import timezone

    task = refresh_analysis
    if task.get_backend().supports_defer:
        delay = datetime.timedelta(seconds=REFRESH_DELAY_SECONDS)
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(name, options, language)


@job(queue="default")
def refresh_analysis(name: str, options: dict, language: str) -> int:
    """Compute an analysis with a page's options for the data as it is now, while the
    page shows the answer of the data before the change (saying so). Returns the data
    version it was computed for."""
    from django.core.cache import cache
    from django.utils import translation

    from kafo.coordination.cache import answer_key, data_version, keep
    from kafo.coordination.registry import ANALYSES

    analysis = ANALYSES[name]
    with translation.override(language or None):
        version = data_version()
        kept_as = analysis.page_key if analysis.page_share else name
        if cache.get(answer_key(kept_as, options, version)) is not None:
            # Several changes in a row each asked for a refresh: the first that ran after
            # the last change computed it.
            return version
        answer = analysis.compute(analysis.read(options), False)
        # Kept under the options as the page gave them: the same key it will look for.
        keep(name, options, version, answer)
        if analysis.page_share:
            keep(analysis.page_key, options, version, analysis.page_share(answer))
    return version
