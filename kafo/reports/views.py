"""The treaty reports' pages, for the national coordination: the reports by treaty and
year, a report's forms drafted from the records (every figure with the records behind
it), its texts written and versioned, its submission (frozen), its Word and Excel files."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.permissions import is_coordinator, membership_of
from kafo.library.files import LibraryFileError
from kafo.library.models import ItemStatus, ItemType, Pillar
from kafo.library.services import add_item
from kafo.meetings.models import Meeting
from kafo.meetings.views import may_manage
from kafo.reports import documents, treaty
from kafo.reports.capacity import capacity_indicators
from kafo.reports.minutes import minutes_pdf
from kafo.reports.models import Treaty, TreatyReport, TreatyReportStatus
from kafo.security import download_sizes
from kafo.security.disclosure import require_rows
from kafo.sensitivity import PARTNERS

ROWS_SHOWN = 500  # a longer form is read in the Excel annex, whole


def _coordination(request: HttpRequest) -> None:
    # A State's report is the national authority's to draft and send.
    if not is_coordinator(request.user):
        raise PermissionDenied


def _report(treaty_code: str, year: int) -> TreatyReport:
    try:
        return treaty.report_for(treaty_code, year)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from error


def report_list(request: HttpRequest) -> HttpResponse:
    """The reports drafted or sent, and a report to open by treaty and year."""
    _coordination(request)
    if request.GET.get("treaty") and request.GET.get("year", "").isdigit():
        return redirect("reports:article7", request.GET["treaty"], int(request.GET["year"]))
    return render(request, "reports/report_list.html", {
        "reports": TreatyReport.objects.all(), "treaties": Treaty.choices,
    })  # fmt: skip


def _record_url(kind: str, reference: str) -> str:
    try:
        return reverse("mineaction:record", args=[kind, reference])
    except NoReverseMatch:
        return ""


def _shown(form: dict) -> dict:
    """A form for the page: its rows cut at ROWS_SHOWN, each with its records' links."""
    rows = []
    for row in form["rows"][:ROWS_SHOWN]:
        links = [(reference, _record_url(kind, reference)) for kind, reference in
                 row.get("records", [])]  # fmt: skip
        links += [(f"#{pk}", reverse("funding:transaction", args=[pk]))
                  for pk in row.get("transactions", [])]  # fmt: skip
        values = [documents.cell_text(row.get(key)) for key, _label in form["columns"]]
        rows.append({"values": values, "links": links})
    return {**form, "shown_rows": rows, "more": max(len(form["rows"]) - ROWS_SHOWN, 0)}


def article7_report(request: HttpRequest, treaty_code: str, year: int) -> HttpResponse:
    """A treaty's Article 7 report for a year: the cover (each form changed or not since
    the last report), then each form, its figures linked to their records."""
    _coordination(request)
    report = _report(treaty_code, year)
    forms = treaty.forms_of(report)
    return render(request, "reports/article7.html", {
        "report": report, "forms": [_shown(form) for form in forms],
        "changes": treaty.changes(report, forms),
        "draft": report.status == TreatyReportStatus.DRAFT,
        "edits": report.edits.select_related("edited_by")[:50],
        "empty": all(form["empty"] for form in forms if form["source"] != "text"),
    })  # fmt: skip


@require_POST
def article7_edit(request: HttpRequest, treaty_code: str, year: int) -> HttpResponse:
    """Write a form's text (a new version, kept with who and when)."""
    _coordination(request)
    report = _report(treaty_code, year)
    try:
        changed = treaty.edit_text(report, request.POST.get("form", ""),
                                   request.POST.get("text", ""), request.user)  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if changed:
            messages.success(request, _("Text saved (a new version)."))
    return redirect("reports:article7", treaty_code, year)


@require_POST
def article7_submit(request: HttpRequest, treaty_code: str, year: int) -> HttpResponse:
    """Submit the report: its forms frozen as sent."""
    _coordination(request)
    report = _report(treaty_code, year)
    try:
        treaty.submit(report, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Report submitted: its forms are frozen as sent."))
    return redirect("reports:article7", treaty_code, year)


def article7_file(request: HttpRequest, treaty_code: str, year: int, kind: str) -> HttpResponse:
    """The report as Word (the forms), PDF (to read) or Excel (the annex)."""
    _coordination(request)
    if kind not in treaty.FORMATS:
        raise Http404
    report = _report(treaty_code, year)
    download_sizes.note(request, kind, 1)
    response = HttpResponse(treaty.document(report, kind), content_type=treaty.FORMATS[kind])
    name = f"article7-{report.treaty}-{report.year}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_not_required
def bulletin_page(request: HttpRequest) -> HttpResponse:
    """The monthly bulletins to download (PDF): the edition the reader may see (the
    public one for the public and donors)."""
    import datetime

    from django.utils import timezone

    from kafo.reports import bulletin
    from kafo.security.disclosure import Audience

    edition = bulletin.PUBLIC if Audience.of(request.user).aggregates_only else bulletin.NATIONAL
    wanted = request.GET.get("month", "")
    if wanted:
        try:
            month = datetime.date.fromisoformat(f"{wanted}-01")
        except ValueError as error:
            raise Http404(_("A month is written YYYY-MM.")) from error
        if month > timezone.localdate():
            raise Http404(_("This month has not begun."))
        language = request.GET.get("language") or None
        from django.utils import translation

        with translation.override(language if language in ("fr", "en") else None):
            content = bulletin.pdf(month, edition)
        download_sizes.note(request, "pdf", 1)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (f'attachment; filename="kafo-bulletin-{wanted}-'
                                           f'{edition}.pdf"')  # fmt: skip
        return response
    this_month = timezone.localdate().replace(day=1)
    months = []
    for back in range(12):
        first = this_month
        for _step in range(back):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return render(request, "reports/bulletin.html", {"months": months, "edition": edition})


def profile_page(request: HttpRequest) -> HttpResponse:
    """The country profile of a year, each figure linked to its records (partners and
    the coordination: it counts casualties exactly); as Word or PDF with `?format=`."""
    from django.utils import timezone

    from kafo.reports import profile
    from kafo.security.disclosure import require_rows

    require_rows(request.user, _("Your role shows aggregated figures only."))
    this_year = timezone.localdate().year
    wanted = request.GET.get("year", "")
    year = int(wanted) if wanted.isdigit() and 1997 <= int(wanted) <= this_year else this_year - 1
    if (kind := request.GET.get("format")) in ("docx", "pdf"):
        download_sizes.note(request, kind, 1)
        response = HttpResponse(profile.document(year, kind), content_type=treaty.FORMATS[kind])
        response["Content-Disposition"] = f'attachment; filename="kafo-profile-{year}.{kind}"'
        return response
    heading, subtitle = profile.title(year)
    return render(request, "reports/profile.html", {
        "heading": heading, "subtitle": subtitle, "year": year,
        "years": list(range(this_year, this_year - 10, -1)), "sections": profile.build(year),
    })  # fmt: skip


def _meeting_for_members(request: HttpRequest, pk: int) -> Meeting:
    require_rows(request.user, _("Coordination mechanisms are for the partners only."))
    meeting = Meeting.objects.select_related("body").filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("No such meeting."))
    return meeting


def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's minutes as a PDF."""
    meeting = _meeting_for_members(request, pk)
    response = HttpResponse(minutes_pdf(meeting), content_type="application/pdf")
    name = f"minutes-{meeting.starts_at:%Y-%m-%d}-{meeting.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes' PDF added to the library (for the partners); published again, the new
    one supersedes the earlier."""
    meeting = _meeting_for_members(request, pk)
    if not may_manage(request.user, meeting.body):
        raise PermissionDenied(_("Only the coordination and the body's leads publish its "
                                 "minutes."))  # fmt: skip
    membership = membership_of(request.user)
    title = _("Minutes: %(body)s, %(date)s") % {
        "body": meeting.body.acronym or meeting.body.name,
        "date": f"{meeting.starts_at:%Y-%m-%d}",
    }
    with tempfile.TemporaryDirectory(prefix="kafo-minutes-") as folder:
        path = Path(folder) / "minutes.pdf"
        path.write_bytes(minutes_pdf(meeting))
        try:
            with transaction.atomic():
                item = add_item(
                    path, f"minutes-{meeting.starts_at:%Y-%m-%d}-{meeting.pk}.pdf",
                    user=request.user, title=title[:300], item_type=ItemType.MINUTES,
                    pillar=Pillar.COORDINATION, language=(get_language() or "fr")[:2],
                    countries=[], confidentiality=PARTNERS, published=meeting.starts_at.date(),
                    organisation_id=membership.organisation_id if membership else None,
                    summary=meeting.agenda[:2000],
                )  # fmt: skip
                earlier = meeting.minutes_item
                if earlier is not None:
                    earlier.status, earlier.superseded_by = ItemStatus.SUPERSEDED, item
                    earlier.save(update_fields=["status", "superseded_by"])
                meeting.minutes_item = item
                meeting.save(update_fields=["minutes_item"])
        except LibraryFileError as error:  # the same minutes as those published already
            messages.info(request, str(error))
            return redirect(meeting)
    messages.success(request, _("The minutes are in the library."))
    return redirect(meeting)


def capacity(request: HttpRequest) -> HttpResponse:
    """The local capacity indicators of a year (aggregates: every member, donors too)."""
    if membership_of(request.user) is None:
        raise PermissionDenied(_("The indicators are for the members of the platform."))
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year_number = int(year) if year.isdigit() and 2000 <= int(year) <= today.year else today.year
    return render(request, "reports/capacity.html", {
        "indicators": capacity_indicators(year_number, today),
        "years": range(today.year, today.year - 6, -1),
    })  # fmt: skip
