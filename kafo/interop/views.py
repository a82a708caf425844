"""Import batches on the web: upload a file, follow its progress, read its report,
correct the rejected rows and import them again; XLSX templates; the review queue of
organisations an import was unsure of."""

import json
import uuid
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.matching import OrganisationMatcher
from kafo.actors.merging import merge_organisation
from kafo.actors.models import Organisation
from kafo.actors.permissions import (
    can_create,
    can_import,
    may_import,
    may_review_organisations,
    membership_of,
)
from kafo.geo.models import CodVersion
from kafo.interop import tasks
from kafo.interop.importers import PLACED_KINDS
from kafo.interop.models import BatchStatus, ImportBatch
from kafo.interop.workbook import template_workbook
from kafo.security import download_sizes, outbox
from kafo.security.disclosure import readable
from kafo.tasks.state import queue_state

KIND_LABELS = {
    "activities": gettext_lazy("Activities (5W)"),
    "hazards": gettext_lazy("Hazards"),
    "incidents": gettext_lazy("Incidents (accidents)"),
    "needs": gettext_lazy("Needs and population"),
    "organisations": gettext_lazy("Organisations"),
    "iati": gettext_lazy("IATI activities (XML)"),
}
HXL_SUFFIXES = (".csv", ".xlsx", ".json")


def kinds_for(user) -> list[tuple[str, str]]:
    """The kinds this user may import."""
    return [(kind, str(label)) for kind, label in KIND_LABELS.items() if can_import(user, kind)]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"))
    file = forms.FileField(
        label=gettext_lazy("HXL file (CSV, XLSX or JSON)"),
        help_text=gettext_lazy("The hashtag row (#org, #sector, #adm1…) may sit under headers."),
    )
    accept_valid = forms.BooleanField(
        label=gettext_lazy("Import the valid rows even if others are rejected"), required=False
    )
    cod_version = forms.ChoiceField(
        label=gettext_lazy("The file's p-codes are those of the COD version"), required=False,
        help_text=gettext_lazy("Only for a file written with the codes of another version: "
                               "they are mapped to the active units that are the same."),
    )  # fmt: skip
    year = forms.IntegerField(
        label=gettext_lazy("Year of figures or months given without one"),
        required=False, min_value=1900, max_value=2100,
    )  # fmt: skip
    sheet = forms.CharField(
        label=gettext_lazy("Sheet of the workbook"), required=False, max_length=100,
        help_text=gettext_lazy("By default, the first sheet with a hashtag row."),
    )  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds_for(user)
        versions = CodVersion.objects.filter(is_active=False).values_list("name", flat=True)
        self.fields["cod_version"].choices = [
            ("", _("the active boundaries")),
            *((name, name) for name in versions),
        ]

    def options(self) -> dict:
        """The options chosen, as the importers take them."""
        data, kind = self.cleaned_data, self.cleaned_data["kind"]
        chosen = {"sheet": data.get("sheet") or None}
        if kind in PLACED_KINDS and data.get("cod_version"):
            chosen["cod_version"] = data["cod_version"]
        if kind in PLACED_KINDS and data.get("year"):
            chosen["year"] = data["year"]
        return {key: value for key, value in chosen.items() if value}

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        if upload is None or kind is None:
            return data
        name = upload.name.lower()
        if kind == "iati" and not name.endswith(".xml"):
            self.add_error("file", _("Send the IATI activity file (.xml)."))
        elif kind != "iati" and not name.endswith(HXL_SUFFIXES):
            self.add_error("file", _("Send a .csv, .xlsx or .json file."))
        return data


def batch_list(request: HttpRequest) -> HttpResponse:
    """The imports the user may see (their organisation's; all for the coordination)."""
    if not may_import(request.user):
        raise PermissionDenied
    batches = readable(request.user, ImportBatch.objects.select_related("created_by"))[:200]
    return render(
        request,
        "interop/batch_list.html",
        {
            "batches": batches,
            "kinds": [(k, label) for k, label in kinds_for(request.user) if k != "iati"],
            "labels": KIND_LABELS,
            "review_count": Organisation.objects.filter(needs_review=True).count()
            if may_review_organisations(request.user)
            else 0,
        },
    )


def upload(request: HttpRequest) -> HttpResponse:
    """Upload a file as a new batch, run in the background."""
    if not can_create(request.user):
        raise PermissionDenied
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"kind": request.GET.get("kind", "activities")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        received = tasks.upload_folder() / f"{uuid.uuid4().hex}{suffix}"
        with received.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        batch = ImportBatch.objects.create(
            kind=form.cleaned_data["kind"], filename=Path(upload.name).name[:255],
            status=BatchStatus.RUNNING, created_by=request.user,
            organisation_id=membership_of(request.user).organisation_id,
            options=form.options(),
        )  # fmt: skip
        # Named after its batch, so that a failed batch's file can be found and deleted.
        path = received.rename(tasks.upload_path(batch, suffix))
        _enqueue(
            batch,
            path=str(path),
            user_pk=request.user.pk,
            accept_valid=form.cleaned_data["accept_valid"],
            language=get_language(),
        )
        return redirect("interop:batch", pk=batch.pk)
    return render(
        request,
        "interop/upload.html",
        {
            "form": form,
            "kinds": [(k, label) for k, label in kinds_for(request.user) if k != "iati"],
        },
    )


def _enqueue(batch: ImportBatch, **arguments) -> None:
    """Queue the batch's import for a worker; its task is kept on the batch, for the
    progress page."""
    result = tasks.run_import.enqueue(batch.pk, **arguments)
    ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
        task_id=str(result.id)
    )


def _batch_for(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=pk)
    if not readable(request.user, ImportBatch.objects.filter(pk=pk)).exists():
        raise PermissionDenied
    return batch


def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch's report: counts, progress, and the rejected rows to correct."""
    batch = _batch_for(request, pk)
    kept = list(batch.rejected_rows.order_by("row"))
    rows = [row for row in kept if row.errors][:500]
    labels = list(rows[0].values) if rows else []
    for row in rows:
        wrong = {error["column"] for error in row.errors}
        row.cells = [(label, row.values.get(label, ""), label in wrong) for label in labels]
    return render(
        request,
        "interop/batch_detail.html",
        {
            "batch": batch,
            "label": KIND_LABELS.get(batch.kind, batch.kind),
            "rows": rows,
            "labels": labels,
            # The valid rows of a rejected batch, held to be imported with the corrected.
            "held": sum(1 for row in kept if not row.errors),
            "can_correct": can_create(request.user) and bool(batch.columns),
            "queue": queue_state(batch.task_id) if batch.status == BatchStatus.RUNNING else None,
        },
    )


def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (htmx polls it); when the batch is done the page reloads."""
    batch = _batch_for(request, pk)
    response = render(request, "interop/progress.html", {
        "batch": batch, "queue": queue_state(batch.task_id),
    })  # fmt: skip
    if batch.status != BatchStatus.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the corrections typed into the rejected rows and import them as a new batch,
    with the valid rows a rejected batch held (the whole file), less the rows dropped."""
    batch = _batch_for(request, pk)
    if not can_import(request.user, batch.kind):
        raise PermissionDenied
    dropped = {int(pk) for pk in request.POST.getlist("drop") if pk.isdigit()}
    rows = [row for row in batch.rejected_rows.order_by("row") if row.pk not in dropped]
    if not rows:
        messages.warning(request, _("Every row was dropped: nothing to import."))
        return redirect("interop:batch", pk=batch.pk)
    for row in rows:
        for index, label in enumerate(list(row.values)):
            key = f"r{row.pk}c{index}"
            if key in request.POST:
                row.values[label] = request.POST[key].strip()
        row.save(update_fields=["values"])
    new = ImportBatch.objects.create(
        kind=batch.kind,
        filename=(_("batch %(pk)s, corrected rows") % {"pk": batch.pk})[:255],
        status=BatchStatus.RUNNING,
        created_by=request.user,
        organisation=batch.organisation,
        options={k: v for k, v in batch.options.items() if k != "sheet"},
    )
    _enqueue(
        new,
        corrected_from=batch.pk,
        rows=[row.pk for row in rows],
        user_pk=request.user.pk,
        accept_valid=batch.accept_valid,
        language=get_language(),
    )
    return redirect("interop:batch", pk=new.pk)


def template(request: HttpRequest, kind: str) -> HttpResponse:
    """The XLSX template of a kind: headers, the HXL row, drop-down lists."""
    if kind not in KIND_LABELS or kind == "iati":
        raise Http404
    download_sizes.note(request, "xlsx", 1)
    response = HttpResponse(
        template_workbook(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="kafo-{kind}-template.xlsx"'
    return response


def review(request: HttpRequest) -> HttpResponse:
    """Organisations created by imports, with the known ones they may really be."""
    if not may_review_organisations(request.user):
        raise PermissionDenied
    flagged = list(Organisation.objects.filter(needs_review=True).order_by("name"))
    known = Organisation.objects.filter(needs_review=False)
    matcher = OrganisationMatcher.from_queryset(known)
    names = {o.pk: o for o in known}
    for organisation in flagged:
        match = matcher.match(organisation.name)
        candidates = [pk for pk, _score in match.candidates]
        if match.certain:
            candidates.insert(0, match.organisation_id)
        organisation.candidates = [names[pk] for pk in dict.fromkeys(candidates) if pk in names]
    return render(
        request,
        "interop/review.html",
        {"flagged": flagged, "organisations": known.order_by("name")},
    )


@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep a flagged organisation as new, or merge it into a known one."""
    if not may_review_organisations(request.user):
        raise PermissionDenied
    organisation = get_object_or_404(Organisation, pk=pk, needs_review=True)
    target = request.POST.get("into", "")
    if request.POST.get("action") == "keep":
        organisation.needs_review = False
        organisation.save(update_fields=["needs_review"])
        messages.success(request, _("%s is kept as a new organisation.") % organisation)
    elif target.isdigit() and int(target) != organisation.pk:
        into = get_object_or_404(Organisation, pk=int(target))
        merge_organisation(organisation, into)
        messages.success(request, _("Merged into %s.") % into)
    else:
        messages.error(request, _("Choose the organisation to merge into."))
    return redirect("interop:review")


# A hand-carried outbox holds a few hundred short forms at most.
OUTBOX_FILE_LIMIT = 5 * 1024 * 1024


@require_POST
def outbox_import(request: HttpRequest) -> HttpResponse:
    """A hand-carried outbox file (JSON exported by a device with no link for days),
    replayed form by form with the same UUIDs: a form sent already makes nothing."""
    if not can_create(request.user):
        raise PermissionDenied
    upload = request.FILES.get("file")
    problem = None
    if upload is None:
        problem = _("Choose the outbox file (kafo-outbox-….json).")
    elif upload.size > OUTBOX_FILE_LIMIT:
        problem = _("%(name)s is %(size)s MB: an outbox file is at most 5 MB.") % {
            "name": upload.name, "size": round(upload.size / 1e6, 1)}  # fmt: skip
    else:
        try:
            content = json.loads(upload.read().decode("utf-8"))
            items = content["items"] if content.get("format") == "kafo-outbox" else None
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ValueError
        except (UnicodeDecodeError, ValueError, KeyError, AttributeError, TypeError):
            problem = _("%s is not an outbox file exported by Kafo (JSON, format kafo-outbox).") % (
                upload.name)  # fmt: skip
    if problem:
        messages.error(request, problem)
        return redirect("interop:batches")
    results = outbox.replay(request, items)
    return render(request, "interop/outbox_import.html", {
        "results": results, "filename": upload.name, "user": content.get("user", ""),
        "created": sum(r["status"] == "created" for r in results),
    })  # fmt: skip
