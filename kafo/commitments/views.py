"""Following up commitments on the web: each framework's dashboard (the share at each
score per pillar, overdue and upcoming deadlines, the timeline of assessments), each
commitment with its assessments over time, the drafts to review, each party's
commitments, exports."""

import datetime
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kafo.actors.models import Organisation
from kafo.actors.permissions import (
    may_assess_commitments,
    membership_of,
)
from kafo.commitments.importing import (
    TABLE_SUFFIXES,
    TableError,
    import_commitments,
    import_commitments_table,
)  # fmt: skip
from kafo.commitments.models import (
    Assessment,
    Commitment,
    CommitmentFramework,
    CommitmentFrameworkKind,
    Pillar,
    Score,
)  # fmt: skip
from kafo.commitments.paragraphs import DocumentError
from kafo.commitments.rollup import latest_scores, overall_by_framework, rollup
from kafo.feedback import report_form_errors
from kafo.funding.models import Transaction
from kafo.funding.summaries import per_pledge
from kafo.interop.hxl import HxlError
from kafo.response.models import Activity
from kafo.security.exports import csv_response

UPCOMING_DAYS = 90
EXPORT_COLUMNS = [
    (gettext_lazy("Reference"), "#meta+ref"), (gettext_lazy("Pillar"), "#sector+pillar"),
    (gettext_lazy("Text"), "#description"), (gettext_lazy("Responsible"), "#org+responsible"),
    (gettext_lazy("Deadline"), "#date+deadline"), (gettext_lazy("Latest score"), "#score"),
    (gettext_lazy("Indicators"), "#indicator"),
]  # fmt: skip


def _coordination_only(request: HttpRequest) -> None:
    if not may_assess_commitments(request.user):
        raise PermissionDenied(_("Only the coordination records and validates assessments."))


class ImportForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Document"),
        help_text=gettext_lazy("A text, Word (.docx) or PDF document with numbered paragraphs, "
                               "or an HXL table (CSV, XLSX) of commitments."),
    )  # fmt: skip
    framework = forms.CharField(label=gettext_lazy("Framework"), max_length=300)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind (of a new framework)"), choices=CommitmentFrameworkKind.choices,
        initial=CommitmentFrameworkKind.COMMUNIQUE,
    )  # fmt: skip


def framework_list(request: HttpRequest) -> HttpResponse:
    """Agreements, roadmaps, resolutions, communiqués, treaties, strategies, pledges; the
    coordination imports a document here."""
    frameworks = list(CommitmentFramework.objects.all())
    overall = overall_by_framework(frameworks)
    rows = [(f, overall[f.pk]) for f in frameworks]
    form = ImportForm() if may_assess_commitments(request.user) else None
    return render(request, "commitments/framework_list.html", {"rows": rows, "form": form})


@require_POST
def import_document(request: HttpRequest) -> HttpResponse:
    """The coordination imports a communiqué (or a table): all of it or nothing, with the
    reason when it cannot be read."""
    _coordination_only(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("commitments:frameworks")
    upload = form.cleaned_data["document"]
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"document{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            if suffix in TABLE_SUFFIXES:
                report = import_commitments_table(path, form.cleaned_data["framework"],
                                                  kind=form.cleaned_data["kind"])  # fmt: skip
            else:
                report = import_commitments(path, form.cleaned_data["framework"],
                                            kind=form.cleaned_data["kind"])  # fmt: skip
        except (DocumentError, HxlError, TableError) as error:
            # The temporary name means nothing to the user: name the uploaded file.
            messages.error(request, str(error).replace(str(path), upload.name))
            return redirect("commitments:frameworks")
    done = _("%(framework)s: %(created)s created, %(updated)s updated, %(kept)s kept.")
    messages.success(request, done % report)
    framework = CommitmentFramework.objects.get(name=form.cleaned_data["framework"])
    if framework.commitments.filter(draft=True).exists():
        return redirect("commitments:drafts", pk=framework.pk)
    return redirect(framework)


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A framework's dashboard: the share at each score per pillar (as the independent
    observers report it), the overdue and the upcoming deadlines, the timeline."""
    framework = get_object_or_404(CommitmentFramework, pk=pk)
    today = timezone.localdate()
    scores = latest_scores(framework)
    commitments = list(
        framework.commitments.filter(draft=False).select_related("pillar")
        .prefetch_related("responsible")
    )  # fmt: skip
    for commitment in commitments:
        commitment.latest = scores.get(commitment.pk)
    chosen = request.GET.get("party", "")
    if chosen.isdigit():
        commitments = [c for c in commitments
                       if any(o.pk == int(chosen) for o in c.responsible.all())]  # fmt: skip
    open_ = [c for c in commitments if c.deadline and c.latest != Score.FULL]
    overdue = sorted((c for c in open_ if c.deadline < today), key=lambda c: c.deadline)
    upcoming = sorted((c for c in open_
                       if today <= c.deadline <= today + datetime.timedelta(days=UPCOMING_DAYS)),
                      key=lambda c: c.deadline)  # fmt: skip
    timeline = Assessment.objects.filter(commitment__framework=framework).select_related(
        "commitment", "assessor").order_by("-date", "-pk")[:100]  # fmt: skip
    parties = Organisation.objects.filter(commitments__framework=framework).distinct()
    pledged = list(framework.pledges.values_list("pk", flat=True))
    pledges = per_pledge(Transaction.objects.filter(Q(pk__in=pledged) | Q(pledge__in=pledged)))
    return render(request, "commitments/framework_detail.html", {
        "pledges": pledges,
        "framework": framework, "summary": rollup(framework), "commitments": commitments,
        "overdue": overdue, "upcoming": upcoming, "timeline": timeline, "parties": parties,
        "chosen": chosen, "drafts": framework.commitments.filter(draft=True).count(),
        "is_coordinator": may_assess_commitments(request.user), "today": today,
    })  # fmt: skip


class AssessmentForm(forms.ModelForm):
    links_text = forms.CharField(
        label=gettext_lazy("Documents and links (one per line)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    activity_ids = forms.CharField(
        label=gettext_lazy("Activities that implement it (5W identifiers)"), required=False,
        help_text=gettext_lazy("Their #meta+id (or kafo:<number>), separated by spaces."),
    )  # fmt: skip

    class Meta:
        model = Assessment
        fields = ["date", "score", "evidence", "source"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}),
                   "evidence": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    transaction_ids = forms.CharField(
        label=gettext_lazy("Funding that implements it (flow numbers)"), required=False,
        help_text=gettext_lazy("The numbers of the funding flows, separated by spaces."),
    )  # fmt: skip

    def clean_transaction_ids(self) -> list[Transaction]:
        found = []
        for token in self.cleaned_data["transaction_ids"].replace(",", " ").split():
            flow = Transaction.objects.filter(pk=int(token)).first() if token.isdigit() else None
            if flow is None:
                raise forms.ValidationError(_("No funding flow %(id)s.") % {"id": token})
            found.append(flow)
        return found

    def clean_links_text(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["links_text"].splitlines()
                 if line.strip()]  # fmt: skip
        validator = forms.URLField(assume_scheme="https")
        for link in links:
            if link.startswith(("http://", "https://")):
                validator.clean(link)
        return links

    def clean_activity_ids(self) -> list[Activity]:
        found = []
        for token in self.cleaned_data["activity_ids"].replace(",", " ").split():
            number = token.removeprefix("kafo:")
            activity = (Activity.objects.filter(pk=int(number)).first() if number.isdigit()
                        else None) or Activity.objects.filter(source_id=token).first()  # fmt: skip
            if activity is None:
                raise forms.ValidationError(_("No activity %(id)s.") % {"id": token})
            found.append(activity)
        return found

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("An assessment cannot be dated in the future."))
        return date


def _commitment(pk: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.select_related("framework", "pillar").prefetch_related(
            "responsible", "activities", "transactions",
            Prefetch("assessments", Assessment.objects.select_related("assessor")),
        ),
        pk=pk,
    )  # fmt: skip


def _detail(request: HttpRequest, commitment: Commitment, form, status: int = 200):
    return render(request, "commitments/commitment_detail.html", {
        "commitment": commitment, "form": form, "pillars": commitment.framework.pillars.all(),
        "is_coordinator": may_assess_commitments(request.user),
    }, status=status)  # fmt: skip


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commitment: its text, who must do it by when, its assessments over time, the
    activities and funding linked to it."""
    form = AssessmentForm(initial={"date": timezone.localdate()}) if may_assess_commitments(
        request.user) else None  # fmt: skip
    return _detail(request, _commitment(pk), form)


@require_POST
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination records an assessment (validated when it is the monitoring body's).
    A refused one comes back with everything typed and each error by its field."""
    _coordination_only(request)
    commitment = _commitment(pk)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The assessment was not recorded: see the fields marked."))
        return _detail(request, commitment, form, status=400)
    assessment = form.save(commit=False)
    assessment.commitment = commitment
    assessment.links = form.cleaned_data["links_text"]
    assessment.assessor = membership_of(request.user).organisation
    assessment.recorded_by = request.user
    assessment.save()
    commitment.activities.add(*form.cleaned_data["activity_ids"])
    commitment.transactions.add(*form.cleaned_data["transaction_ids"])
    messages.success(request, _("Assessment recorded; it counts once validated."))
    return redirect("commitments:commitment", pk=commitment.pk)


@require_POST
def validate(request: HttpRequest, pk: int) -> HttpResponse:
    """The monitoring body (the coordination) validates an assessment: it then counts."""
    _coordination_only(request)
    assessment = get_object_or_404(Assessment, pk=pk)
    if assessment.validated_at is None:
        assessment.validated_at = timezone.now()
        assessment.validated_by = request.user
        assessment.save(update_fields=["validated_at", "validated_by"])
    return redirect("commitments:commitment", pk=assessment.commitment_id)


@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination confirms an imported draft, with its pillar, deadline and
    responsible parties, or deletes it."""
    _coordination_only(request)
    commitment = get_object_or_404(Commitment, pk=pk)
    if request.POST.get("action") == "delete" and commitment.draft:
        framework = commitment.framework
        commitment.delete()
        return redirect(framework)
    pillar = request.POST.get("pillar", "")
    if pillar.isdigit():
        commitment.pillar = get_object_or_404(Pillar, pk=int(pillar),
                                              framework=commitment.framework)  # fmt: skip
    deadline = request.POST.get("deadline", "").strip()
    if deadline:
        try:
            commitment.deadline = datetime.date.fromisoformat(deadline)
        except ValueError:
            messages.error(request, _("%s is not a date (YYYY-MM-DD)") % deadline)
            return redirect("commitments:commitment", pk=commitment.pk)
    commitment.draft = False
    commitment.save()
    messages.success(request, _("Confirmed: the commitment now counts in the dashboard."))
    return redirect("commitments:commitment", pk=commitment.pk)


def drafts(request: HttpRequest, pk: int) -> HttpResponse:
    """The imported paragraphs of a framework waiting for review."""
    framework = get_object_or_404(CommitmentFramework, pk=pk)
    return render(request, "commitments/drafts.html", {
        "framework": framework, "is_coordinator": may_assess_commitments(request.user),
        "drafts": framework.commitments.filter(draft=True).select_related("pillar")
        .prefetch_related("responsible"),
    })  # fmt: skip


def party(request: HttpRequest, pk: int) -> HttpResponse:
    """Every commitment an organisation is responsible for, across frameworks."""
    organisation = get_object_or_404(Organisation, pk=pk)
    commitments = list(organisation.commitments.filter(draft=False).select_related(
        "framework", "pillar").order_by("deadline", "framework__name", "order"))  # fmt: skip
    latest: dict[int, int | None] = {}
    for framework in {c.framework for c in commitments}:
        latest.update(latest_scores(framework))
    for commitment in commitments:
        commitment.latest = latest.get(commitment.pk)
    return render(request, "commitments/party.html", {
        "organisation": organisation, "commitments": commitments,
        "today": timezone.localdate(),
    })  # fmt: skip


def export(request: HttpRequest, pk: int) -> HttpResponse:
    """A framework's commitments as CSV, or HXL with ?format=hxl."""
    framework = get_object_or_404(CommitmentFramework, pk=pk)
    scores = latest_scores(framework)
    rows = [
        [c.reference, c.pillar.code if c.pillar else "", c.text,
         " ; ".join(o.acronym or o.name for o in c.responsible.all()),
         c.deadline.isoformat() if c.deadline else "", scores.get(c.pk, ""), c.indicators]
        for c in framework.commitments.filter(draft=False).select_related("pillar")
        .prefetch_related("responsible")
    ]  # fmt: skip
    header = [str(label) for label, _tag in EXPORT_COLUMNS]
    hxl = [tag for _label, tag in EXPORT_COLUMNS] if request.GET.get("format") == "hxl" else None
    return csv_response(request, f"commitments_{framework.pk}", header, rows, hxl)
