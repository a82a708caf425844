"""Campaigns sent by a worker: the messages go one by one through the gateway while the
campaign's page shows the deliveries recorded so far."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.communities.models import Campaign
from kafo.communities.services import run_campaign
from kafo.tasks.jobs import Retry, job


def _given_up(args: list, kwargs: dict, error: BaseException | None) -> None:
    reason = (
        _("the sending was interrupted (the worker stopped) and tried as many times as it "
          "may be; send it again: those already reached get nothing twice")
        if error is None else _("the sending stopped: %s") % error
    )  # fmt: skip
    Campaign.objects.filter(pk=args[0] if args else kwargs["campaign_pk"], sent_at=None).update(
        sending_since=None, send_error=reason
    )


@job(retry=Retry(attempts=3, backoff=60), given_up=_given_up, queue="messages")
def send_campaign(campaign_pk: int, user_pk: int | None = None) -> dict[str, int]:
    """Send the campaign. Run again after an interruption, it resumes with the focal
    points it had not reached (each delivery is recorded as its message goes). Returns
    the counts of deliveries by status made by this run."""
    campaign = Campaign.objects.filter(pk=campaign_pk).first()
    if campaign is None:
        raise ValueError(_("campaign %s no longer exists") % campaign_pk)
    if campaign.sent_at is not None:
        return {}
    user = None
    if user_pk is not None:
        user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
        if user is None:
            raise ValueError(_("the account that sent the campaign was deleted or "
                               "deactivated meanwhile"))  # fmt: skip
    counts = run_campaign(campaign, user)
    Campaign.objects.filter(pk=campaign_pk).update(sending_since=None, send_error="",
                                                   sent_at=timezone.now())  # fmt: skip
    return counts
