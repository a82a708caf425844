"""Community pages: the directory of focal points (restricted data, consent first), each
focal point with its consents, engagements and alerts, the alerts followed to their
outcome, and the coverage of the priority units on a map."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.permissions import (
    can_create,
    can_edit,
    may_approve_messages,
    may_propose_messages,
    may_register_focal_points,
    may_run_campaigns,
    membership_of,
)
from kafo.communities.forms import (
    AlertForm,
    CampaignForm,
    ConsentForm,
    EngagementForm,
    FocalPointForm,
    KeyMessageForm,
)  # fmt: skip
from kafo.communities.models import (
    Alert,
    AlertStatus,
    Campaign,
    Consent,
    Delivery,
    FocalPoint,
    KeyMessage,
)
from kafo.communities.services import check_sendable, close_alert, report_alert, waiting_alerts
from kafo.communities.tasks import send_campaign
from kafo.feedback import refused_or_new, report_form_errors
from kafo.security import outbox
from kafo.security.disclosure import (
    disclose,
    mark_personal_data_shown,
    readable,
    require_rows,
)

WAITING_HOURS = 72


def _members_only(request: HttpRequest) -> None:
    require_rows(request.user, _("Community focal points are for the partners only."))


def _focal_point(request: HttpRequest, pk: int) -> FocalPoint:
    _members_only(request)
    found = readable(request.user, FocalPoint.objects.filter(pk=pk)).first()
    if found is None:
        raise Http404(_("No such focal point among those you work with."))
    return found


def directory(request: HttpRequest) -> HttpResponse:
    """The focal points the viewer may see: its own, and those shared with every partner;
    names and phones only for its own."""
    _members_only(request)
    rows = readable(request.user, FocalPoint.objects.select_related("admin_unit", "organisation")
                    .prefetch_related("consents"))  # fmt: skip
    if pcode := request.GET.get("pcode", "").strip().upper():
        rows = rows.filter(admin_unit__pcode__startswith=pcode)
    today = timezone.localdate()
    shown = [(disclose(request.user, f), any(f.consent_for(s, today)
                                             for s in ("contact", "sms", "radio")))
             for f in rows[:500]]  # fmt: skip
    return render(request, "communities/directory.html", {
        "rows": shown, "can_register": can_create(request.user),
        "waiting": waiting_alerts(WAITING_HOURS).count(),
    })  # fmt: skip


@outbox.idempotent("focal_point_edit")
def focal_point_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Register a focal point with the consent it gave, or correct one. A correction
    made on an older version (another saved it since the form was opened, or while it
    waited in an outbox) is not saved: the merge page shows both (409)."""
    _members_only(request)
    focal_point = _focal_point(request, pk) if pk else None
    if focal_point is None and not may_register_focal_points(request.user):
        raise PermissionDenied(_("Only editors and the coordination register focal points."))
    if focal_point is not None and not can_edit(request.user, focal_point):
        raise PermissionDenied(_("Only its organisation or the coordination may change it."))
    if (
        request.method == "POST"
        and focal_point is not None
        and request.POST.get("version", _version(focal_point)) != _version(focal_point)
    ):
        if outbox.from_outbox(request):
            raise outbox.StaleEdit(reverse("communities:focal_point_merge", args=[pk]))
        return _merge_page(request, focal_point)
    if focal_point is not None:
        mark_personal_data_shown()  # the form holds the person's name and phone
    form = FocalPointForm(request.POST or None, instance=focal_point)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # never a focal point without its consent
            saved = form.save(commit=False)
            if focal_point is None:
                saved.organisation = membership_of(request.user).organisation
            saved.save()
            if focal_point is None:
                Consent.objects.create(focal_point=saved, recorded_by=request.user,
                                       given_on=form.cleaned_data["consent_given_on"],
                                       scope=form.cleaned_data["consent_scope"])  # fmt: skip
        messages.success(request, _("Saved."))
        outbox.made(request, reverse("communities:focal_point", args=[saved.pk]))
        return redirect("communities:focal_point", pk=saved.pk)
    if request.method == "POST":
        outbox.refused(request, form)
    return render(request, "web/form.html", {
        "form": form, "title": _("Community focal point"),
        "version": _version(focal_point) if focal_point else "",
        "outbox_label": _("Community focal point") if focal_point else "",
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


def _version(focal_point: FocalPoint) -> str:
    return focal_point.updated_at.isoformat()


def _merge_page(request: HttpRequest, focal_point: FocalPoint) -> HttpResponse:
    """Yours beside what was saved meanwhile; the form holds yours, on the new version.
    With the values the form was opened with (`base__<field>`, sent by the outbox), a
    field you did not change takes what was saved meanwhile: only real conflicts remain."""
    mark_personal_data_shown()
    current = FocalPointForm(instance=focal_point)
    data = request.POST.copy()
    opened = any(key.startswith("base__") for key in data)
    for name in current.fields:
        mine, base = _shown(data.getlist(name)), _shown(data.getlist(f"base__{name}"))
        if opened and mine == base:  # untouched by you: what was saved meanwhile stays
            value = current[name].value()
            if isinstance(value, bool):
                data.setlist(name, ["on"] if value else [])
            elif isinstance(value, (list, tuple)):
                data.setlist(name, [str(v) for v in value])
            else:
                data.setlist(name, ["" if value is None else str(value)])
    for key in [key for key in data if key.startswith("base__")]:
        del data[key]
    yours = FocalPointForm(data, instance=focal_point)
    differences = []
    for name, field in yours.fields.items():
        before, after = _shown(current[name].value()), _shown(yours[name].value())
        if before != after:
            differences.append((field.label, before, after))
    yours.is_valid()  # shows what is still to correct in yours
    return render(request, "web/form.html", {
        "form": yours, "title": _("Community focal point"), "version": _version(focal_point),
        "action": reverse("communities:focal_point_edit", args=[focal_point.pk]),
        "outbox_label": _("Community focal point"),
        "merge": {"changed_at": focal_point.updated_at, "differences": differences},
    }, status=409)  # fmt: skip


def _shown(value) -> str:
    if isinstance(value, (list, tuple)):
        if len(value) == 1 and not isinstance(value[0], (list, tuple)):
            return _shown(value[0])
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


@require_POST
def focal_point_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """The merge page of a correction that waited in an outbox while the focal point was
    saved again: the outbox sends the correction's values here."""
    _members_only(request)
    focal_point = _focal_point(request, pk)
    if not can_edit(request.user, focal_point):
        raise PermissionDenied(_("Only its organisation or the coordination may change it."))
    return _merge_page(request, focal_point)


def focal_point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A focal point with its consents, engagements and alerts."""
    focal_point = _focal_point(request, pk)
    editable = can_edit(request.user, focal_point)
    return render(request, "communities/focal_point.html", {
        "focal_point": disclose(request.user, focal_point), "record": focal_point,
        # Every related list through the disclosure layer: a shared focal point's page
        # shows another organisation's consents and engagements only to who may read them.
        "consents": disclose(request.user, readable(request.user, focal_point.consents.all())),
        "engagements": disclose(request.user, readable(
            request.user, focal_point.engagements.select_related("admin_unit"))[:100]),
        "alerts": disclose(request.user, readable(
            request.user, focal_point.alerts.select_related("admin_unit"))[:100]),
        "editable": editable,
        "consent_form": refused_or_new(request, ConsentForm, initial={
            "given_on": timezone.localdate()}) if editable else None,
        "engagement_form": refused_or_new(request, EngagementForm, initial={
            "date": timezone.localdate(), "pcode": focal_point.admin_unit.pcode})
        if editable else None,
        "alert_form": refused_or_new(request, AlertForm, initial={
            "reported_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "pcode": focal_point.admin_unit.pcode}) if editable else None,
    })  # fmt: skip


@require_POST
@outbox.idempotent("focal_point")
def focal_point_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add a consent, withdraw one, log an engagement, or receive an alert (which becomes
    a draft field report for an operator)."""
    focal_point = _focal_point(request, pk)
    if not can_edit(request.user, focal_point):
        raise PermissionDenied(_("Only its organisation or the coordination may change it."))
    if part == "consent":
        form = ConsentForm(request.POST)
        if form.is_valid():
            Consent.objects.create(focal_point=focal_point, recorded_by=request.user,
                                   **form.cleaned_data)  # fmt: skip
            messages.success(request, _("Consent recorded."))
    elif part == "withdraw":
        consent = get_object_or_404(focal_point.consents, pk=request.POST.get("consent") or 0)
        consent.withdrawn_on = consent.withdrawn_on or timezone.localdate()
        consent.save(update_fields=["withdrawn_on"])
        messages.success(request, _("Consent withdrawn: nothing more will be sent."))
        return redirect("communities:focal_point", pk=pk)
    elif part == "engagement":
        form = EngagementForm(request.POST)
        if form.is_valid():
            engagement = form.save(commit=False)
            engagement.focal_point, engagement.admin_unit = focal_point, form.cleaned_data["pcode"]
            engagement.eore_session = form.cleaned_data["eore_reference"]
            engagement.organisation = membership_of(request.user).organisation
            engagement.save()
            messages.success(request, _("Engagement logged."))
            outbox.made(request, reverse("communities:focal_point", args=[pk]))
    elif part == "alert":
        form = AlertForm(request.POST)
        if form.is_valid():
            alert = form.save(commit=False)
            alert.focal_point, alert.admin_unit = focal_point, form.cleaned_data["pcode"]
            alert.organisation = membership_of(request.user).organisation
            try:
                with transaction.atomic():  # the alert and its field report, or neither
                    alert.save()
                    reference = report_alert(alert, request.user)
                text = _("Alert received: field report %(ref)s awaits an operator's verification.")
                messages.success(request, text % {"ref": reference})
                outbox.made(request, reverse("communities:focal_point", args=[pk]))
            except ValidationError as error:
                messages.error(request, _("Alert not recorded: %s") % " ".join(error.messages))
    else:
        raise Http404(_("Unknown step."))
    if not form.is_valid():
        report_form_errors(request, form)
        outbox.refused(request, form)
    elif part == "consent":
        outbox.made(request, reverse("communities:focal_point", args=[pk]))
    return redirect("communities:focal_point", pk=pk)


def alerts(request: HttpRequest) -> HttpResponse:
    """Community alerts, those waiting too long first, with their outcome."""
    _members_only(request)
    rows = readable(request.user, Alert.objects.select_related("admin_unit", "organisation"))
    waiting = set(waiting_alerts(WAITING_HOURS).values_list("pk", flat=True))
    ordered = sorted(rows[:500], key=lambda a: (a.pk not in waiting, -a.reported_at.timestamp()))
    return render(request, "communities/alerts.html", {
        # Through the disclosure layer: what was said and noted is the owner's and the
        # coordination's to read (it can name people).
        "rows": [(disclose(request.user, a), a.pk in waiting, can_edit(request.user, a))
                 for a in ordered],
        "hours": WAITING_HOURS,
        "outcomes": [(v, label) for v, label in AlertStatus.choices if v != "received"],
    })  # fmt: skip


@require_POST
def alert_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator's outcome: dismissed, verified, NTS or EOD spot task."""
    _members_only(request)
    alert = get_object_or_404(readable(request.user, Alert.objects.all()), pk=pk)
    if not can_edit(request.user, alert):
        raise PermissionDenied(
            _("Only the alert's organisation and the coordination record its outcome.")
        )
    try:
        close_alert(alert, request.POST.get("status", ""), request.POST.get("note", ""))
        messages.success(request, _("Outcome recorded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("communities:alerts")


def library(request: HttpRequest) -> HttpResponse:
    """Approved risk education key messages per language and version, and the campaigns."""
    _members_only(request)
    messages_ = KeyMessage.objects.select_related("approved_by").order_by("key", "language",
                                                                          "-version")  # fmt: skip
    return render(request, "communities/library.html", {
        "messages_": messages_, "campaigns": Campaign.objects.select_related("organisation")[:100],
        "message_form": refused_or_new(request, KeyMessageForm)
        if can_create(request.user) else None,
        "campaign_form": refused_or_new(request, CampaignForm)
        if can_create(request.user) else None,
        "may_approve": may_approve_messages(request.user),
    })  # fmt: skip


@require_POST
def message_add(request: HttpRequest) -> HttpResponse:
    """A new version of a key message in one language (approved by the coordination)."""
    _members_only(request)
    if not may_propose_messages(request.user):
        raise PermissionDenied(_("Only editors and the coordination propose messages."))
    form = KeyMessageForm(request.POST, request.FILES)
    if form.is_valid():
        message = form.save(commit=False)
        latest = KeyMessage.objects.filter(key=message.key, language=message.language).order_by(
            "-version").first()  # fmt: skip
        message.version = latest.version + 1 if latest else 1
        message.save()
        messages.success(request, _("Message saved: it goes out once the coordination approves "
                                    "it."))  # fmt: skip
    else:
        report_form_errors(request, form)
    return redirect("communities:library")


@require_POST
def message_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination approves a message version."""
    if not may_approve_messages(request.user):
        raise PermissionDenied(_("Only the coordination approves messages."))
    message = get_object_or_404(KeyMessage, pk=pk)
    if message.approved_at is None:
        message.approved_at, message.approved_by = timezone.now(), request.user
        message.save(update_fields=["approved_at", "approved_by"])
    return redirect("communities:library")


def message_audio(request: HttpRequest, pk: int) -> FileResponse:
    """A message's audio, for members only (never a public file)."""
    _members_only(request)
    message = get_object_or_404(KeyMessage, pk=pk)
    if not message.audio:
        raise Http404(_("This message has no audio."))
    return FileResponse(message.audio.open("rb"), as_attachment=False,
                        filename=message.audio.name.rsplit("/", 1)[-1])  # fmt: skip


@require_POST
def campaign_add(request: HttpRequest) -> HttpResponse:
    """An organisation prepares a campaign: a message, a channel, communes."""
    _members_only(request)
    if not may_run_campaigns(request.user):
        raise PermissionDenied(_("Only editors and the coordination run campaigns."))
    form = CampaignForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            campaign = form.save(commit=False)
            campaign.organisation = membership_of(request.user).organisation
            campaign.save()
            campaign.admin_units.set(form.cleaned_data["pcodes"])
        return redirect("communities:campaign", pk=campaign.pk)
    report_form_errors(request, form)
    return redirect("communities:library")


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign and what became of it for each focal point the viewer may see."""
    _members_only(request)
    campaign = get_object_or_404(Campaign.objects.select_related("organisation"), pk=pk)
    visible = readable(request.user, FocalPoint.objects.all())
    deliveries = campaign.deliveries.filter(focal_point__in=visible).select_related(
        "focal_point", "focal_point__admin_unit")  # fmt: skip
    can_answer = can_edit(request.user, campaign)
    can_send = campaign.sent_at is None and campaign.sending_since is None and can_answer
    return render(request, "communities/campaign.html", {
        "campaign": campaign, "deliveries": disclose(request.user, deliveries),
        "can_send": can_send,
        "can_answer": can_answer,
        "units": campaign.admin_units.all(),
    })  # fmt: skip


@require_POST
def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the campaign (within consent, in a language spoken; SMS via the gateway)."""
    _members_only(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    if not can_edit(request.user, campaign):
        raise PermissionDenied(_("Only its organisation or the coordination sends it."))
    try:
        check_sendable(campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("communities:campaign", pk=pk)
    if campaign.sending_since is None:
        Campaign.objects.filter(pk=pk).update(sending_since=timezone.now(), send_error="")
        send_campaign.enqueue(campaign.pk, request.user.pk)
    messages.success(request, _("The campaign is being sent: each delivery appears below as "
                                "it goes."))  # fmt: skip
    return redirect("communities:campaign", pk=pk)


@require_POST
def delivery_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """What came back from a focal point after a campaign (its organisation records it)."""

    _members_only(request)
    delivery = get_object_or_404(Delivery.objects.select_related("campaign"), pk=pk)
    if not can_edit(request.user, delivery.campaign):
        raise PermissionDenied(_("Only its organisation or the coordination sends it."))
    delivery.feedback = request.POST.get("feedback", "").strip()[:2000]
    if request.POST.get("delivered"):
        delivery.status = "delivered"
    delivery.save(update_fields=["feedback", "status"])
    messages.success(request, _("Saved."))
    return redirect("communities:campaign", pk=delivery.campaign_id)
