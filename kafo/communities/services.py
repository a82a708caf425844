"""What the community work does: alerts become draft field reports, campaigns go out
only within consent and in a language the person speaks, and the coverage of the
priority communes by engaged leaders."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.communities.models import (
    Alert,
    AlertKind,
    AlertStatus,
    Campaign,
    CampaignChannel,
    ConsentScope,
    Delivery,
    DeliveryStatus,
    FocalPoint,
    KeyMessage,
)  # fmt: skip
from kafo.communities.sms import backend
from kafo.mineaction import reports
from kafo.mineaction.forms import AccidentForm, HazardForm
from kafo.mineaction.kinds import KINDS
from kafo.security.disclosure import readable


def report_alert(alert: Alert, user) -> str:
    """The alert as a submitted field report for an operator to verify: an *indication*
    hazard (object, area) or an accident (incident). Returns the report's reference."""

    # Without coordinates, the commune's point: the operator verifies where exactly.
    lon, lat = alert.longitude, alert.latitude
    if lon is None or lat is None:
        lon, lat = alert.admin_unit.label_lon, alert.admin_unit.label_lat
    point = {"longitude": lon, "latitude": lat}
    if alert.kind == AlertKind.INCIDENT:
        kind, form = KINDS["accident"], AccidentForm(data={
            "date": alert.reported_at.date().isoformat(), **point,
            "device_category": alert.device, "accident_type": "civilian",
            "activity_at_time": "unknown", "area_marked": "unknown",
            "narrative": alert.description, "claimed_pcode": alert.admin_unit.pcode})  # fmt: skip
    else:
        kind, form = KINDS["hazard"], HazardForm(data={
            "name": _("Community alert %(date)s") % {"date": f"{alert.reported_at:%Y-%m-%d}"},
            "classification": "indication", "status": "open", **point,
            "evidence_type": "indirect", "evidence": ["verbal"],
            "contamination": [alert.device], "description": alert.description,
            "claimed_pcode": alert.admin_unit.pcode})  # fmt: skip
    if not form.is_valid():
        raise ValidationError([
            " ".join(errors) if field == NON_FIELD_ERRORS else
            _("%(field)s: %(errors)s") % {"field": form.fields[field].label or field,
                                          "errors": " ".join(errors)}
            for field, errors in form.errors.items()
        ])  # fmt: skip
    report = reports.submit(
        kind, form, user=user, organisation=alert.organisation,
        date_of_information=alert.reported_at.date(),
        source=_("community alert (%(channel)s)") % {"channel": alert.get_channel_display()},
    )  # fmt: skip
    alert.field_report = report.reference
    alert.save(update_fields=["field_report"])
    return report.reference


def close_alert(alert: Alert, status: str, note: str = "") -> None:
    """Record the alert's outcome (dismissed, verified, NTS, EOD spot task)."""
    if not status:
        raise ValidationError(_("Choose the alert's outcome."))
    if status not in AlertStatus.values or status == AlertStatus.RECEIVED:
        raise ValidationError(_("Unknown outcome: %s") % status)
    alert.status = status
    alert.outcome_note = note
    alert.outcome_at = alert.outcome_at or timezone.now()  # the first response counts
    alert.save(update_fields=["status", "outcome_note", "outcome_at"])


def waiting_alerts(hours: float = 72, now=None):
    """Alerts still without an outcome after this many hours (the dashboard's list)."""
    now = now or timezone.now()
    return Alert.objects.filter(outcome_at__isnull=True,
                                reported_at__lt=now - datetime.timedelta(hours=hours))  # fmt: skip


def latest_messages(key: str) -> dict[str, KeyMessage]:
    """The latest approved version of a message in each language."""
    found: dict[str, KeyMessage] = {}
    for message in KeyMessage.objects.filter(key=key, approved_at__isnull=False).order_by(
        "language", "-version"
    ):  # fmt: skip
        found.setdefault(message.language, message)
    return found


def check_sendable(campaign: Campaign) -> dict:
    """The approved versions of the campaign's message by language; ValidationError when
    it cannot be sent (already sent, no approved message)."""
    if campaign.sent_at is not None:
        raise ValidationError(_("This campaign has already been sent."))
    messages = latest_messages(campaign.message)
    if not messages:
        raise ValidationError(_("No approved version of the message %s.") % campaign.message)
    return messages


def run_campaign(campaign: Campaign, user=None) -> dict[str, int]:
    """Send the campaign's message to the focal points of its communes that the
    organisation may see: only within their consent and in a language they speak; every
    focal point gets a delivery row saying what happened.

    Each delivery is recorded as soon as its message has gone, not in one transaction
    around the whole campaign: the database is not held while the gateway answers (up to
    its timeout per message), a message sent is never un-recorded, and a campaign stopped
    half-way (a crash, a restart) resumes with the focal points it had not reached, so
    nobody gets the message twice."""

    messages = check_sendable(campaign)
    focal_points = FocalPoint.objects.filter(active=True, admin_unit__in=campaign.admin_units.all())
    if user is not None:
        focal_points = readable(user, focal_points)
    reached = set(campaign.deliveries.values_list("focal_point_id", flat=True))
    scope = ConsentScope.SMS if campaign.channel == CampaignChannel.SMS else ConsentScope.CONTACT
    if campaign.channel == CampaignChannel.RADIO:
        scope = ConsentScope.RADIO
    gateway = backend() if campaign.channel == CampaignChannel.SMS else None
    counts = {status: 0 for status in DeliveryStatus.values}
    for focal_point in focal_points.exclude(pk__in=reached).prefetch_related("consents"):
        language = next((lang for lang in focal_point.languages if lang in messages), "")
        delivery = Delivery(campaign=campaign, focal_point=focal_point, language=language)
        if focal_point.consent_for(scope) is None:
            delivery.status, delivery.detail = DeliveryStatus.SKIPPED, _("no consent")
        elif not language:
            delivery.status = DeliveryStatus.SKIPPED
            delivery.detail = _("no approved message in a language spoken")
        elif gateway is not None:
            if not focal_point.phone:
                delivery.status, delivery.detail = DeliveryStatus.FAILED, _("no phone")
            else:
                result = gateway.send(focal_point.phone, messages[language].text)
                delivery.status = DeliveryStatus.SENT if result.ok else DeliveryStatus.FAILED
                delivery.detail, delivery.sent_at = result.detail, timezone.now()
        else:
            delivery.status, delivery.sent_at = DeliveryStatus.SENT, timezone.now()
        delivery.save()
        counts[delivery.status] += 1
    campaign.sent_at = timezone.now()
    campaign.save(update_fields=["sent_at"])
    return counts
