"""The library's pages: search with filters, an item (its file, what it comes from, the
collections holding it), adding and editing items, lessons learned, links to records,
collections, and what is new (with the weekly e-mail)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kafo.actors.permissions import can_create, is_coordinator, membership_of
from kafo.feedback import report_form_errors
from kafo.library import services
from kafo.library.files import LibraryFileError
from kafo.library.forms import (
    RECORD_TYPES,
    CollectionForm,
    ItemForm,
    LessonForm,
    LinkForm,
    SearchForm,
    UploadForm,
)
from kafo.library.models import (
    Collection,
    DigestSubscription,
    Lesson,
    LibraryItem,
    Pillar,
    RecordLink,
    Theme,
)
from kafo.paging import page_of
from kafo.security.disclosure import audience

PAGE = 25
NEW_DAYS = 30


def _members_only(request: HttpRequest) -> None:
    if membership_of(request.user) is None:
        raise PermissionDenied(_("The library is for the members of the platform."))


def _editors_only(request: HttpRequest) -> None:
    if not can_create(request.user):
        raise PermissionDenied(_("Only editors and the coordination add to the library."))


def _coordination_only(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied(_("Collections are curated by the coordination."))


def index(request: HttpRequest) -> HttpResponse:
    """Search the library (and its lessons), or its latest items."""
    _members_only(request)
    form = SearchForm(request.GET or None)
    hits, rows = None, services.readable_items(request.user)
    if form.is_valid() and any(form.cleaned_data.values()):
        data = form.cleaned_data
        filters = services.Filters(
            item_type=data["item_type"], pillar=data["pillar"], language=data["language"],
            country=data["country"], published_from=data["published_from"],
            published_to=data["published_to"],
        )  # fmt: skip
        if data["q"].strip():
            hits = services.search(request.user, data["q"], filters)
        rows = filters.items(rows)
    return render(request, "library/index.html", {
        **page_of(request, rows, PAGE), "form": form, "hits": hits,
        "may_add": can_create(request.user),
        "collections": Collection.objects.all()[:12],
    })  # fmt: skip


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _members_only(request)
    item = get_object_or_404(
        services.readable_items(request.user).select_related(
            "source_organisation", "superseded_by", "organisation"),
        pk=pk,
    )  # fmt: skip
    links = _links(request, item)
    return render(request, "library/item_detail.html", {
        "item": item, "links": links,
        "themes": [Theme(t).label for t in item.themes if t in Theme.values],
        "may_edit": services.may_edit(request.user, item),
        "link_form": LinkForm() if services.may_edit(request.user, item) else None,
        "collections": item.collections.all(),
        "other_collections": Collection.objects.exclude(items=item)
        if is_coordinator(request.user) else [],
        "lessons": services.readable_lessons(request.user).filter(evidence_item=item),
        "supersedes": services.readable_items(request.user).filter(superseded_by=item),
    })  # fmt: skip


def _record_of(link: RecordLink):
    """The record a link names, or None when it is gone."""
    model = link.content_type.model_class()
    if model is None or not link.object_id.isdigit():
        return None
    return model._default_manager.filter(pk=int(link.object_id)).first()


def _links(request: HttpRequest, record) -> list:
    """The records an item or a lesson comes from; none for donors (aggregates only)."""
    if audience(request.user).aggregates_only:
        return []
    return [(link, found) for link in record.links.select_related("content_type")
            if (found := _record_of(link)) is not None]  # fmt: skip


def item_file(request: HttpRequest, pk: int) -> FileResponse:
    """An item's file, for whom may read the item (never a public file)."""
    _members_only(request)
    item = get_object_or_404(services.readable_items(request.user), pk=pk)
    if not item.file:
        raise Http404(_("This item has no file in Kafo."))
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file_name or None,
        content_type=item.media_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


def item_new(request: HttpRequest) -> HttpResponse:
    _editors_only(request)
    form = UploadForm(request.POST or None, request.FILES or None,
                      initial={"language": "fr", "countries": "ML"})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("file", "admin_units")}
        if not fields.get("title"):
            fields.pop("title", None)
        membership = membership_of(request.user)
        fields["organisation_id"] = membership.organisation_id if membership else None
        try:
            item = services.add_uploaded_item(form.cleaned_data["file"], user=request.user,
                                              **fields)  # fmt: skip
        except LibraryFileError as error:
            form.add_error("file", str(error))
        else:
            item.admin_units.set(form.cleaned_data["admin_units"])
            note = f" {item.extraction_note}." if item.extraction_note else ""
            messages.success(request, _("“%(title)s” is in the library.%(note)s")
                             % {"title": item.title, "note": note})  # fmt: skip
            return redirect(item)
    report_form_errors(request, form)
    return render(request, "library/item_form.html", {"form": form, "item": None})


def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(LibraryItem, pk=pk)
    if not services.may_edit(request.user, item):
        raise PermissionDenied(_("Only the organisation that added it, or the coordination, "
                                 "edits an item."))  # fmt: skip
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The item is saved."))
        return redirect(item)
    report_form_errors(request, form)
    return render(request, "library/item_form.html", {"form": form, "item": item})


@require_POST
def link_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Link an item or a lesson to the record it comes from."""
    rows = {"item": LibraryItem.objects, "lesson": Lesson.objects}.get(kind)
    if rows is None:
        raise Http404
    record = get_object_or_404(rows, pk=pk)
    if not services.may_edit(request.user, record):
        raise PermissionDenied(_("Only the organisation that added it, or the coordination, "
                                 "links it."))  # fmt: skip
    form = LinkForm(request.POST)
    if form.is_valid():
        label = RECORD_TYPES[form.cleaned_data["record_type"]][1]
        target = services.record_for(label, form.cleaned_data["key"].strip())
        if target is None:
            messages.error(request, _("No such record: %s.") % form.cleaned_data["key"])
        else:
            services.link(record, target, request.user)
            messages.success(request, _("Linked to %s.") % target)
    else:
        report_form_errors(request, form)
    return redirect(record)


def lesson_list(request: HttpRequest) -> HttpResponse:
    _members_only(request)
    lessons = services.readable_lessons(request.user).select_related("organisation")
    pillar = request.GET.get("pillar", "")
    if pillar:
        lessons = lessons.filter(pillar=pillar)
    return render(request, "library/lesson_list.html", {
        **page_of(request, lessons, PAGE), "pillar": pillar, "pillars": Pillar.choices,
        "may_add": can_create(request.user),
    })  # fmt: skip


def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _members_only(request)
    lesson = get_object_or_404(services.readable_lessons(request.user)
                               .select_related("organisation", "evidence_item"), pk=pk)  # fmt: skip
    evidence = lesson.evidence_item
    if evidence is not None and not services.readable_items(request.user).filter(
            pk=evidence.pk).exists():  # fmt: skip
        evidence = None
    links = _links(request, lesson)
    may_edit = services.may_edit(request.user, lesson)
    return render(request, "library/lesson_detail.html", {
        "lesson": lesson, "evidence": evidence, "links": links, "may_edit": may_edit,
        "link_form": LinkForm() if may_edit else None,
    })  # fmt: skip


def lesson_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        _editors_only(request)
        lesson = Lesson(created_by=request.user)
        membership = membership_of(request.user)
        lesson.organisation_id = membership.organisation_id if membership else None
    else:
        lesson = get_object_or_404(Lesson, pk=pk)
        if not services.may_edit(request.user, lesson):
            raise PermissionDenied(_("Only the organisation that wrote it, or the "
                                     "coordination, edits a lesson."))  # fmt: skip
    form = LessonForm(request.POST or None, instance=lesson,
                      initial={"countries": "ML"} if pk is None else None)  # fmt: skip
    form.fields["evidence_item"].queryset = services.readable_items(request.user)
    if request.method == "POST" and form.is_valid():
        lesson = form.save()
        messages.success(request, _("The lesson is saved."))
        return redirect(lesson)
    report_form_errors(request, form)
    return render(request, "library/lesson_form.html", {"form": form, "lesson": lesson})


def collection_list(request: HttpRequest) -> HttpResponse:
    _members_only(request)
    form = CollectionForm(request.POST or None) if is_coordinator(request.user) else None
    if request.method == "POST":
        _coordination_only(request)
        if form is not None and form.is_valid():
            collection = form.save(commit=False)
            collection.curator = request.user
            collection.save()
            return redirect(collection)
        report_form_errors(request, form)
    return render(request, "library/collection_list.html", {
        "collections": Collection.objects.all(), "form": form,
    })  # fmt: skip


def collection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _members_only(request)
    collection = get_object_or_404(Collection, pk=pk)
    items = services.readable_items(request.user).filter(collections=collection)
    return render(request, "library/collection_detail.html", {
        "collection": collection, "items": items, "curates": is_coordinator(request.user),
    })  # fmt: skip


@require_POST
def collection_items(request: HttpRequest) -> HttpResponse:
    """Add an item to a collection, or take one out."""
    _coordination_only(request)
    collection = get_object_or_404(Collection, pk=_number(request.POST.get("collection")))
    item = get_object_or_404(LibraryItem, pk=_number(request.POST.get("item")))
    if request.POST.get("action") == "remove":
        collection.items.remove(item)
        messages.success(request, _("“%s” is out of the collection.") % item.title)
        return redirect(collection)
    collection.items.add(item)
    messages.success(request, _("“%(item)s” is in “%(collection)s”.")
                     % {"item": item.title, "collection": collection.title})  # fmt: skip
    return redirect(item)


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def whats_new(request: HttpRequest) -> HttpResponse:
    """The items and lessons of the last 30 days, and the weekly e-mail of them."""
    _members_only(request)
    since = timezone.now() - datetime.timedelta(days=NEW_DAYS)
    subscription = DigestSubscription.objects.filter(user=request.user, active=True).first()
    if request.method == "POST":
        wanted = request.POST.get("digest") == "on"
        DigestSubscription.objects.update_or_create(user=request.user,
                                                    defaults={"active": wanted})  # fmt: skip
        messages.success(request, _("You will get the weekly e-mail of what is new.") if wanted
                         else _("You will no longer get the weekly e-mail."))  # fmt: skip
        return redirect("library:new")
    return render(request, "library/whats_new.html", {
        "items": services.readable_items(request.user).filter(created_at__gte=since),
        "lessons": services.readable_lessons(request.user).filter(created_at__gte=since),
        "days": NEW_DAYS, "subscribed": subscription is not None,
        "has_email": bool(request.user.email),
    })  # fmt: skip
