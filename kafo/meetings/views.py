"""The coordination mechanisms' pages: the bodies, each body's meetings, a meeting with
its attendance, decisions and action points, the action points board (overdue first,
by owner), and meetings as calendar files."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.matching import OrganisationMatcher
from kafo.actors.models import Organisation, Role
from kafo.actors.permissions import can_create, is_coordinator, membership_of
from kafo.feedback import report_form_errors
from kafo.library.services import readable_items
from kafo.meetings import services
from kafo.meetings.forms import (
    ActionForm,
    ActionUpdateForm,
    AttendanceFileForm,
    AttendanceFormSet,
    BodyForm,
    DecisionForm,
    MeetingForm,
    ReferralForm,
    ReferralUpdateForm,
)
from kafo.meetings.models import (
    ActionPoint,
    ActionStatus,
    CoordinationBody,
    Meeting,
    Referral,
    ReferralStatus,
    ReferralTarget,
)
from kafo.security import outbox
from kafo.security.disclosure import disclose, readable, require_rows


def _members_only(request: HttpRequest) -> None:
    require_rows(request.user, _("Coordination mechanisms are for the partners only."))


def may_manage(user, body: CoordinationBody) -> bool:
    """The coordination, and the editors of the body's lead and co-lead organisations."""
    if is_coordinator(user):
        return True
    membership = membership_of(user)
    if membership is None or membership.role != Role.PARTNER_EDITOR:
        return False
    leads = {body.lead_id, *body.co_leads.values_list("pk", flat=True)}
    return membership.organisation_id in leads


def may_update(user, action: ActionPoint) -> bool:
    """The owner organisation's editors, and who manages the meeting's body."""
    membership = membership_of(user)
    own = (membership is not None and membership.role == Role.PARTNER_EDITOR
           and membership.organisation_id == action.owner_id)  # fmt: skip
    return own or may_manage(user, action.meeting.body)


def body_list(request: HttpRequest) -> HttpResponse:
    """The coordination bodies, with their leads and next meeting, and the figures of
    national and local actors in them."""
    _members_only(request)
    bodies = (CoordinationBody.objects.select_related("lead", "parent", "admin_unit")
              .prefetch_related("co_leads")
              .annotate(meetings_held=Count("meetings", distinct=True)))  # fmt: skip
    from kafo.meetings.models import Attendance

    return render(request, "meetings/body_list.html", {
        "bodies": bodies, "can_create": is_coordinator(request.user),
        "attendance_share": services.attendance_share(Attendance.objects.all()),
        "co_lead_share": services.co_lead_share(CoordinationBody.objects.all()),
    })  # fmt: skip


def body_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new coordination body, or a correction (the coordination)."""
    _members_only(request)
    body = get_object_or_404(CoordinationBody, pk=pk) if pk else None
    if not (is_coordinator(request.user) or (body and may_manage(request.user, body))):
        raise PermissionDenied(_("Only the coordination and the body's leads change it."))
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Saved."))
        return redirect(saved)
    return render(request, "web/form.html", {"form": form, "title": _("Coordination body")},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A body: its leads, the bodies under it, its meetings (next first)."""
    _members_only(request)
    body = get_object_or_404(CoordinationBody.objects.select_related("lead", "parent"), pk=pk)
    manage = may_manage(request.user, body)
    now = timezone.now()
    open_actions = Count("actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True)
    meetings = body.meetings.annotate(people=Count("attendance", distinct=True),
                                      open_actions=open_actions)  # fmt: skip
    return render(request, "meetings/body_detail.html", {
        "body": body, "manage": manage,
        "upcoming": meetings.filter(ends_at__gte=now).order_by("starts_at"),
        "past": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:100],
        "children": body.children.all(),
        "meeting_form": MeetingForm() if manage else None,
        "terms_item": readable_items(request.user)
        .filter(pk=body.terms_of_reference_item_id).first(),
    })  # fmt: skip


@require_POST
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    _members_only(request)
    body = get_object_or_404(CoordinationBody, pk=pk)
    if not may_manage(request.user, body):
        raise PermissionDenied(_("Only the coordination and the body's leads hold its meetings."))
    form = MeetingForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(body)
    meeting = form.save(commit=False)
    meeting.body, meeting.created_by = body, request.user
    meeting.save()
    messages.success(request, _("Meeting planned."))
    return redirect(meeting)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    _members_only(request)
    return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)


def _managed_meeting(request: HttpRequest, pk: int, refusal: str) -> Meeting:
    """The meeting, for who runs its body (the coordination and its leads' editors)."""
    meeting = _meeting(request, pk)
    if not may_manage(request.user, meeting.body):
        raise PermissionDenied(refusal)
    return meeting


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: agenda, attendance, decisions, action points; the forms to fill them
    (attendance also with no link, or from a sheet)."""
    meeting = _meeting(request, pk)
    manage = may_manage(request.user, meeting.body)
    attendance = meeting.attendance.select_related("organisation")
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "manage": manage,
        "attendance": disclose(request.user, list(attendance)),
        "counts": {"people": attendance.count(),
                   "women": attendance.filter(sex="f").count(),
                   "remote": attendance.filter(remote=True).count()},
        "share": services.attendance_share(attendance),
        "decisions": meeting.decisions.all(),
        "actions": meeting.actions.select_related("owner", "decision"),
        "attendance_forms": AttendanceFormSet(prefix="people") if manage else None,
        "file_form": AttendanceFileForm() if manage else None,
        "decision_form": DecisionForm() if manage else None,
        "action_form": ActionForm(meeting=meeting) if manage else None,
        "today": timezone.localdate(),
        "minutes_item": readable_items(request.user).filter(pk=meeting.minutes_item_id).first(),
    })  # fmt: skip


@require_POST
@outbox.idempotent("attendance")
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    """People at the meeting, from the page's list (filled with no link too)."""
    meeting = _managed_meeting(
        request, pk, _("Only the coordination and the body's leads keep its lists.")
    )
    forms = AttendanceFormSet(request.POST, prefix="people")
    if not forms.is_valid():
        for form in forms:
            report_form_errors(request, form)
        if forms.non_form_errors():
            messages.error(request, " ".join(str(e) for e in forms.non_form_errors()))
        return redirect(meeting)
    matcher = OrganisationMatcher.from_queryset(Organisation.objects.all())
    known = set(meeting.attendance.values_list("name", "organisation_name"))
    added = 0
    with transaction.atomic():
        for form in forms:
            data = form.cleaned_data
            if not data or not data.get("name"):
                continue
            key = (data["name"].strip(), (data.get("organisation_name") or "").strip())
            if key in known:
                continue
            known.add(key)
            person = form.save(commit=False)
            person.meeting, (person.name, person.organisation_name) = meeting, key
            match = matcher.match(key[1]) if key[1] else None
            person.organisation_id = match.organisation_id if match and match.certain else None
            person.save()
            added += 1
    messages.success(request, _("%(n)s people added to the list.") % {"n": added})
    outbox.made(request, meeting.get_absolute_url())
    return redirect(meeting)


@require_POST
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    """An attendance sheet (CSV, or the XLSX of a form), whole or not at all."""
    meeting = _managed_meeting(
        request, pk, _("Only the coordination and the body's leads keep its lists.")
    )
    form = AttendanceFileForm(request.POST, request.FILES)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(meeting)
    upload = form.cleaned_data["file"]
    if upload.size > 5 * 1024 * 1024:
        messages.error(request, _("%s is over 5 MB: an attendance sheet is smaller.") % upload.name)
        return redirect(meeting)
    result = services.import_attendance(meeting, upload.name, upload.read())
    if result.errors:
        errors = " · ".join(result.errors[:20])
        messages.error(request, _("Nothing imported from %(file)s: %(errors)s")
                       % {"file": upload.name, "errors": errors})  # fmt: skip
    else:
        messages.success(request, _("%(n)s people imported.") % {"n": result.created})
    return redirect(meeting)


@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(
        request, pk, _("Only the coordination and the body's leads record decisions.")
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision = form.save(commit=False)
        decision.meeting = meeting
        decision.subject_type, decision.subject_id = form.subject
        decision.save()
        messages.success(request, _("Decision recorded."))
    else:
        report_form_errors(request, form)
    return redirect(meeting)


@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(
        request, pk, _("Only the coordination and the body's leads set action points.")
    )
    form = ActionForm(request.POST, meeting=meeting)
    if form.is_valid():
        action = form.save(commit=False)
        action.meeting = meeting
        action.save()
        messages.success(request, _("Action point set."))
    else:
        report_form_errors(request, form)
    return redirect(meeting)


@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """An action point done (with its evidence), dropped, or opened again."""
    _members_only(request)
    action = get_object_or_404(ActionPoint.objects.select_related("meeting__body"), pk=pk)
    if not may_update(request.user, action):
        raise PermissionDenied(_("Only its owner organisation and the body's leads update it."))
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        action.status, action.evidence = form.cleaned_data["status"], form.cleaned_data["evidence"]
        action.done_on = (
            form.cleaned_data["done_on"] if action.status == ActionStatus.DONE else None
        )
        action.save(update_fields=["status", "evidence", "done_on"])
        messages.success(request, _("Action point updated."))
    else:
        report_form_errors(request, form)
    # Back to the page it was updated from: this site's only (no open redirect).
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("meetings:actions")
    return redirect(back)


def action_board(request: HttpRequest) -> HttpResponse:
    """Every action point: overdue first, then by deadline, grouped by owner; one
    organisation's with ?organisation=ID; with the completion rate and median delay."""
    _members_only(request)
    actions = ActionPoint.objects.select_related("owner", "meeting__body")
    chosen = None
    if organisation := request.GET.get("organisation", ""):
        if not organisation.isdigit():
            raise Http404
        chosen = get_object_or_404(Organisation, pk=int(organisation))
        actions = actions.filter(owner=chosen)
    today = timezone.localdate()
    rows = list(actions)
    open_rows = sorted(
        (a for a in rows if a.status == ActionStatus.OPEN),
        key=lambda a: (not a.is_overdue(today), a.deadline, a.owner.name),
    )
    by_owner: dict[Organisation, list[ActionPoint]] = {}
    for action in open_rows:
        by_owner.setdefault(action.owner, []).append(action)
    return render(request, "meetings/action_board.html", {
        "groups": sorted(by_owner.items(), key=lambda item: (
            not any(a.is_overdue(today) for a in item[1]), item[0].name)),
        "closed": [a for a in rows if a.status != ActionStatus.OPEN][-200:],
        "figures": services.action_figures(rows, today), "today": today, "chosen": chosen,
        "organisations": Organisation.objects.filter(action_points__isnull=False).distinct(),
        "updatable": {a.pk for a in rows if may_update(request.user, a)},
        "update_form": ActionUpdateForm(),
    })  # fmt: skip


def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting as an .ics file."""
    meeting = _meeting(request, pk)
    return _ics(request, [meeting], f"kafo-meeting-{meeting.pk}.ics")


def body_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """A body's meetings (from a month ago on) as an .ics file to subscribe to."""
    _members_only(request)
    body = get_object_or_404(CoordinationBody, pk=pk)
    since = timezone.now() - datetime.timedelta(days=31)
    return _ics(request, body.meetings.filter(ends_at__gte=since).select_related("body"),
                f"kafo-{body.acronym or body.pk}.ics")  # fmt: skip


def _ics(request: HttpRequest, meetings, filename: str) -> HttpResponse:
    response = HttpResponse(
        services.calendar(meetings, lambda m: request.build_absolute_uri(m.get_absolute_url())),
        content_type="text/calendar; charset=utf-8",
    )  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def may_update_referral(user, referral: Referral) -> bool:
    """The referring and the receiving organisations' editors, and the coordination."""
    membership = membership_of(user)
    if is_coordinator(user):
        return True
    sides = (referral.organisation_id, referral.receiver_id)
    return (membership is not None and membership.role == Role.PARTNER_EDITOR
            and membership.organisation_id in sides)  # fmt: skip


def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals from mine action to the other sectors, with their status: those still
    waiting first; counts by sector and status; ?status= and ?target= filter."""
    _members_only(request)
    referrals = readable(request.user, Referral.objects.select_related(
        "organisation", "receiver", "admin_unit"))  # fmt: skip
    counts: dict[str, dict[str, int]] = {}
    for target, status, n in referrals.values_list("target", "status").annotate(n=Count("pk")):
        counts.setdefault(target, {})[status] = n
    shown = referrals
    if (status := request.GET.get("status", "")) in ReferralStatus.values:
        shown = shown.filter(status=status)
    if (target := request.GET.get("target", "")) in ReferralTarget.values:
        shown = shown.filter(target=target)
    waiting = [ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    rows = sorted(shown[:500], key=lambda r: (r.status not in waiting, -r.referred_on.toordinal()))
    return render(request, "meetings/referral_list.html", {
        "rows": [(disclose(request.user, r), may_update_referral(request.user, r)) for r in rows],
        "counts": [(label, [counts.get(value, {}).get(s, 0) for s in ReferralStatus.values])
                   for value, label in ReferralTarget.choices if value in counts],
        "statuses": ReferralStatus.choices, "targets": ReferralTarget.choices,
        "status": status, "target": target,
        "form": ReferralForm(initial={"referred_on": timezone.localdate()})
        if can_create(request.user) else None,
    })  # fmt: skip


@require_POST
def referral_new(request: HttpRequest) -> HttpResponse:
    _members_only(request)
    if not can_create(request.user):
        raise PermissionDenied(_("Only editors and the coordination refer."))
    form = ReferralForm(request.POST)
    membership = membership_of(request.user)
    if form.is_valid() and membership is not None:
        referral = form.save(commit=False)
        referral.organisation = membership.organisation
        referral.admin_unit = form.cleaned_data["pcode"]
        referral.save()
        messages.success(request, _("Referral recorded."))
    else:
        report_form_errors(request, form)
    return redirect("meetings:referrals")


@require_POST
def referral_update(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral accepted, closed (the service given) or declined."""
    _members_only(request)
    referral = get_object_or_404(Referral, pk=pk)
    if not may_update_referral(request.user, referral):
        raise PermissionDenied(_("Only the referring and receiving organisations update it."))
    form = ReferralUpdateForm(request.POST)
    if form.is_valid():
        referral.status = form.cleaned_data["status"]
        referral.status_note = form.cleaned_data["status_note"] or referral.status_note
        referral.save(update_fields=["status", "status_note", "updated_at"])
        messages.success(request, _("Referral updated."))
    else:
        report_form_errors(request, form)
    return redirect("meetings:referrals")
