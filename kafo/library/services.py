"""The library's work: who may read an item or a lesson, adding a file as an item (checked,
its text extracted), keeping search in step, searching with filters, and the links to
the records the knowledge comes from."""

import datetime
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from kafo.library import search as text_search
from kafo.library.files import LibraryFileError, read_library_file
from kafo.library.models import (
    LINKABLE,
    ItemType,
    Lesson,
    LibraryItem,
    Pillar,
    RecordLink,
    SearchEntry,
)
from kafo.security.disclosure import audience

LESSON_PARTS = ("context", "challenge", "action", "result", "lesson", "recommendation",
                "applicability", "evidence")  # fmt: skip


def _readable(viewer, rows: QuerySet) -> QuerySet:
    """Rows whose confidentiality the viewer's clearance reaches (its organisation's own
    rows with its clearance for its own)."""
    seen = audience(viewer)
    allowed = Q(confidentiality__lte=seen.for_others)
    if seen.organisation_id:
        allowed |= Q(organisation_id=seen.organisation_id, confidentiality__lte=seen.for_own)
    return rows.filter(allowed)


def readable_items(viewer) -> QuerySet:
    """The library items the viewer may read (a donor or the public: public ones only)."""
    return _readable(viewer, LibraryItem.objects.all())


def readable_lessons(viewer) -> QuerySet:
    return _readable(viewer, Lesson.objects.all())


def may_edit(user, record: LibraryItem | Lesson) -> bool:
    """The coordination, and the editors of the organisation that added it."""
    from kafo.actors.models import Role
    from kafo.actors.permissions import is_coordinator, membership_of

    if is_coordinator(user):
        return True
    membership = membership_of(user)
    return (membership is not None and membership.role == Role.PARTNER_EDITOR
            and membership.organisation_id == record.organisation_id)  # fmt: skip


# Search kept in step


def _entry_text(record: LibraryItem | Lesson) -> tuple[str, str]:
    if isinstance(record, LibraryItem):
        title = " · ".join(t for t in (record.title, record.title_en, record.imas_reference) if t)
        return title, "\n\n".join(t for t in (record.summary, record.text) if t)
    body = "\n\n".join(getattr(record, part) for part in LESSON_PARTS if getattr(record, part))
    return record.title, body


def index(record: LibraryItem | Lesson) -> None:
    """Write (again) the record's search entry."""
    title, body = _entry_text(record)
    body = body[: text_search.INDEXED_CHARS]
    SearchEntry.objects.update_or_create(
        kind=_kind(record), object_id=record.pk,
        defaults={"title": title, "body": body,
                  "stemmed_title": " ".join(text_search.stems(title)),
                  "stemmed_body": " ".join(text_search.stems(body))},
    )  # fmt: skip


def unindex(record: LibraryItem | Lesson) -> None:
    SearchEntry.objects.filter(kind=_kind(record), object_id=record.pk).delete()


def _kind(record: LibraryItem | Lesson) -> str:
    return "item" if isinstance(record, LibraryItem) else "lesson"


@dataclass(frozen=True)
class Hit:
    """A search result: the item or lesson, its score and the passage found."""

    kind: str
    record: Any
    score: float
    passage: list[tuple[str, bool]]

    @property
    def html(self) -> str:
        return text_search.highlighted_html(self.passage)

    @property
    def text(self) -> str:
        return text_search.highlighted_text(self.passage)


@dataclass(frozen=True)
class Filters:
    """What a search may be narrowed to (items only; a lesson has a pillar and
    countries)."""

    item_type: str = ""
    pillar: str = ""
    language: str = ""
    country: str = ""
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None

    def items(self, rows: QuerySet) -> QuerySet:
        if self.item_type:
            rows = rows.filter(item_type=self.item_type)
        if self.pillar:
            rows = rows.filter(pillar=self.pillar)
        if self.language:
            rows = rows.filter(language=self.language)
        if self.country:  # a JSON list: its text holds the quoted code, on both databases
            rows = rows.filter(countries__icontains=f'"{self.country.upper()[:2]}"')
        if self.published_from:
            rows = rows.filter(published__gte=self.published_from)
        if self.published_to:
            rows = rows.filter(published__lte=self.published_to)
        return rows

    def lessons(self, rows: QuerySet) -> QuerySet | None:
        """The lessons these filters keep, or None when they ask for what lessons lack."""
        if self.item_type or self.language or self.published_from or self.published_to:
            return None
        if self.pillar:
            rows = rows.filter(pillar=self.pillar)
        if self.country:
            rows = rows.filter(countries__icontains=f'"{self.country.upper()[:2]}"')
        return rows


def search(viewer, text: str, filters: Filters = Filters(), *, kinds=("item", "lesson"),
           limit: int = 50) -> list[Hit]:  # fmt: skip
    """The items and lessons the viewer may read that match `text` and the filters, best
    first (see kafo.library.search), with their passages."""
    found = text_search.matches(text)
    wanted: dict[str, QuerySet | None] = {
        "item": filters.items(readable_items(viewer)) if "item" in kinds else None,
        "lesson": filters.lessons(readable_lessons(viewer)) if "lesson" in kinds else None,
    }
    records: dict[str, dict[int, Any]] = {}
    for kind, rows in wanted.items():
        ids = [object_id for k, object_id, _score in found if k == kind]
        records[kind] = {}
        if rows is None or not ids:
            continue
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            records[kind].update(rows.filter(pk__in=chunk).in_bulk())
    hits = []
    for kind, object_id, score in found:
        record = records.get(kind, {}).get(object_id)
        if record is None:
            continue
        _title, body = _entry_text(record)
        hits.append(Hit(kind, record, score, text_search.passage(body or record.title, text)))
        if len(hits) >= limit:
            break
    return hits


# Adding files


def add_item(path: Path, name: str, *, user=None, **fields) -> LibraryItem:
    """Add the file at `path` (uploaded as `name`) as an item with `fields`. Raises
    LibraryFileError (with the reason) for a refused file or a file already in the
    library; nothing is kept then."""
    facts = read_library_file(path, name)
    same = LibraryItem.objects.filter(checksum=facts.checksum).first()
    if same is not None:
        raise LibraryFileError(
            _("this file is already in the library: “%(title)s” (no. %(id)d)")
            % {"title": same.title, "id": same.pk}
        )  # fmt: skip
    fields.setdefault("title", Path(name).stem[:300])
    if fields.get("item_type") not in ItemType.values:
        raise LibraryFileError(_("unknown type; use one of %s") % ", ".join(ItemType.values))
    if fields.get("pillar") and fields["pillar"] not in Pillar.values:
        raise LibraryFileError(_("unknown pillar; use one of %s") % ", ".join(Pillar.values))
    with transaction.atomic():
        item = LibraryItem(
            **fields, file_name=Path(name).name[:255], media_type=facts.media_type,
            checksum=facts.checksum, size=facts.size, text=facts.text, scanned=facts.scanned,
            extraction_note=facts.note, created_by=user if getattr(user, "pk", None) else None,
        )  # fmt: skip
        with path.open("rb") as stream:
            item.file.save(Path(name).name, File(stream), save=False)
        try:
            item.save()
        except Exception:
            item.file.delete(save=False)
            raise
    return item


def add_uploaded_item(upload, *, user=None, **fields) -> LibraryItem:
    """`add_item` for a file sent through a form (written to a temporary file first: the
    readers need a path)."""
    with tempfile.TemporaryDirectory(prefix="kafo-library-") as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return add_item(path, upload.name, user=user, **fields)


def copy_of(path: Path) -> Path:
    """A private copy of a file to add (the command line reads files it does not own)."""
    folder = Path(tempfile.mkdtemp(prefix="kafo-library-"))
    target = folder / path.name
    shutil.copyfile(path, target)
    return target


# Links to records


def linkable_type(record: Model) -> bool:
    return record._meta.label_lower in LINKABLE


def link(record: LibraryItem | Lesson, target: Model, user=None) -> RecordLink:
    """Link an item or a lesson to the record it comes from (once)."""
    if not linkable_type(target):
        raise ValueError(f"{target._meta.label} records are not linked to the library")
    kind = "item" if isinstance(record, LibraryItem) else "lesson"
    found, _created = RecordLink.objects.get_or_create(
        **{kind: record}, content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        defaults={"created_by": user if getattr(user, "pk", None) else None},
    )  # fmt: skip
    return found


def learned_from(viewer, target: Model) -> dict[str, list]:
    """The items and lessons the viewer may read that are linked to this record."""
    links = RecordLink.objects.filter(content_type=ContentType.objects.get_for_model(target),
                                      object_id=str(target.pk))  # fmt: skip
    item_ids = links.exclude(item=None).values("item_id")
    lesson_ids = links.exclude(lesson=None).values("lesson_id")
    return {
        "items": list(readable_items(viewer).filter(pk__in=item_ids).order_by("title")),
        "lessons": list(readable_lessons(viewer).filter(pk__in=lesson_ids).order_by("title")),
    }


def record_for(label: str, key: str) -> Model | None:
    """The linkable record of type `label` ("mineaction.hazard") with this key (a
    reference for mine action records, an id otherwise), or None."""
    from django.apps import apps

    if label not in LINKABLE:
        return None
    model = apps.get_model(label)
    field = "reference" if any(f.name == "reference" for f in model._meta.fields) else "pk"
    if field == "pk" and not key.isdigit():
        return None
    return model.objects.filter(**{field: key}).first()
