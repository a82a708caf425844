"""Field intake's pages: Kafo's field forms to download (each kind's XLSForm, and the
open hazards a land release activity chooses from, both also written by `kafo xlsform`);
the intake sources with their last pull, and the submissions that did not become a field
report, to try again or dismiss."""

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kafo.actors.permissions import can_edit_for, may_import
from kafo.intake.mapping import flattened, questions
from kafo.intake.models import (
    Attachment,
    IntakeSource,
    Submission,
    SubmissionStatus,
    sources_followed,
)
from kafo.intake.pull import as_sent, retry
from kafo.intake.xlsforms import FORM_KINDS, HAZARDS_FILE, hazards_csv, open_hazards, written
from kafo.mineaction.models import FieldReport, Hazard
from kafo.security import download_sizes
from kafo.security.disclosure import readable, require_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_deploy(request: HttpRequest) -> None:
    # Those who bring data in (the imports page) deploy the forms that bring it.
    if not may_import(request.user):
        raise PermissionDenied


def form_download(request: HttpRequest, kind: str) -> HttpResponse:
    """A kind's XLSForm, its version recorded."""
    _may_deploy(request)
    if kind not in FORM_KINDS:
        raise Http404
    made = written(kind)
    download_sizes.note(request, "xlsx", 1)
    response = HttpResponse(made.workbook(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kafo-{kind}-{made.version}.xlsx"'
    return response


def hazards_file(request: HttpRequest) -> HttpResponse:
    """The open hazards the reader may see, for `select_one_from_file`."""
    _may_deploy(request)
    hazards = readable(request.user, Hazard.objects.all())
    download_sizes.note(request, "csv", open_hazards(hazards).count())
    response = HttpResponse(hazards_csv(hazards),
                            content_type="text/csv; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{HAZARDS_FILE}"'
    return response


def _sources(request: HttpRequest):
    """The sources the user follows: all for the coordination, else its organisation's."""
    _may_deploy(request)
    return sources_followed(request.user)


def source_list(request: HttpRequest) -> HttpResponse:
    """Each source, its last pull and error, and its submissions by outcome; the
    submissions waiting for someone (rejected, flagged)."""
    sources = _sources(request)
    waiting = (Submission.objects.filter(source__in=_sources(request))
               .filter(status__in=(SubmissionStatus.REJECTED, SubmissionStatus.FLAGGED))
               .select_related("source").order_by("-pulled_at")[:200])  # fmt: skip
    return render(request, "intake/source_list.html", {"sources": sources, "waiting": waiting})


def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission as pulled: its answers, its reasons, and what may be done with it."""
    submission = get_object_or_404(Submission.objects.select_related("source"), pk=pk,
                                   source__in=_sources(request))  # fmt: skip
    answers = _answers(submission)
    received = flattened(as_sent(submission.source, submission.raw))
    corrections = submission.corrections
    context = {
        "submission": submission,
        "answers": [(name, received.get(name, ""), corrections.get(name))
                    for name in sorted({*received, *corrections})],
        "questions": [(name, label, answers.get(name, ""), name in corrections)
                      for name, label in questions(submission.source.kind)],
        "can_act": can_edit_for(request.user, submission.source.organisation_id),
    }  # fmt: skip
    return render(request, "intake/submission.html", context)


def _answers(submission: Submission, corrected: bool = True) -> dict[str, str]:
    """The submission's answers by question name, as text: as received, with the
    corrections made on Kafo over them unless `corrected` is False."""
    sent = flattened(as_sent(submission.source, submission.raw))
    answers = {name: " ".join(map(str, value)) if isinstance(value, list) else
               ("" if value is None else str(value)) for name, value in sent.items()}  # fmt: skip
    return {**answers, **submission.corrections} if corrected else answers


def _correct(request: HttpRequest, submission: Submission) -> None:
    """Keep the answers changed on the page as corrections (the raw submission stays as
    pulled), with who and when, then map the submission again."""
    from django.utils import timezone

    sent = _answers(submission, corrected=False)
    corrections = dict(submission.corrections)
    for name, _label in questions(submission.source.kind):
        given = request.POST.get(f"answer:{name}")
        if given is None:
            continue
        given = given.strip()
        if given == sent.get(name, ""):
            corrections.pop(name, None)  # back to the answer from the field
        else:
            corrections[name] = given
    Submission.objects.filter(pk=submission.pk).update(
        corrections=corrections, corrected_by=request.user, corrected_at=timezone.now()
    )  # fmt: skip
    submission.refresh_from_db()


@require_POST
def submission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Correct a rejected submission's answers, try it again, or dismiss it (its
    organisation's editors and the coordination)."""
    submission = get_object_or_404(Submission.objects.select_related("source"), pk=pk,
                                   source__in=_sources(request))  # fmt: skip
    if not can_edit_for(request.user, submission.source.organisation_id):
        raise PermissionDenied
    if action == "dismiss":
        Submission.objects.filter(pk=pk).update(status=SubmissionStatus.DISMISSED)
        messages.success(request, _("Submission dismissed."))
    elif action in ("retry", "correct") and submission.status == SubmissionStatus.REJECTED:
        if action == "correct":
            _correct(request, submission)
        if retry(submission):
            messages.success(request, _("The submission is now a field report."))
        else:
            messages.error(request, _("The submission still does not map: see its reasons."))
    else:
        raise Http404
    return redirect("intake:submission", pk)


@csrf_exempt
@login_not_required
@require_POST
def webhook(request: HttpRequest, source: int) -> HttpResponse:
    """KoBoToolbox's REST service (or any caller with the shared secret in the
    `X-Kafo-Secret` header) says a submission came: the source is pulled at once by a
    task. What the caller sends is not read: the pull asks the server itself."""
    from kafo.intake.tasks import pull_source

    secret = settings.KAFO_INTAKE_WEBHOOK_SECRET
    given = request.headers.get("X-Kafo-Secret", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponse(status=403)
    if not IntakeSource.objects.filter(pk=source).exists():
        raise Http404
    pull_source.enqueue(source)
    return HttpResponse(status=202)


def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A submission's file, small (as fetched after the pull); `?full=1` fetches the
    full size first. For those who read its field report, or its submission."""
    from django.http import FileResponse

    from kafo.intake.kobo import IntakeError
    from kafo.intake.tasks import attachments_folder, fetch

    require_rows(request.user, _("Your role shows aggregated figures only."))
    found = get_object_or_404(Attachment.objects.select_related("submission__source"), pk=pk)
    submission = found.submission
    report = submission.field_report
    if not (
        (report and readable(request.user, FieldReport.objects.filter(reference=report)).exists())
        or (may_import(request.user) and _sources(request).filter(pk=submission.source_id).exists())
    ):
        raise Http404
    relative = found.full_path if request.GET.get("full") else found.small_path
    if not relative:
        try:
            relative = fetch(found, full=bool(request.GET.get("full")))
        except IntakeError as error:
            messages.error(request, _("The file could not be fetched: %(why)s") % {"why": error})
            return redirect("intake:submission", submission.pk)
    path = attachments_folder() / relative
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), filename=found.filename,
                        content_type=found.mimetype or None)  # fmt: skip
