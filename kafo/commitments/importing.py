"""A document's numbered paragraphs as draft commitments of a framework, for review: all
written or none, a second import of the same document changes nothing, and paragraphs
already reviewed are never overwritten."""

from pathlib import Path

from django.db import transaction

from kafo.actors.models import Organisation
from kafo.commitments.models import Commitment, CommitmentFramework, CommitmentFrameworkKind, Pillar
from kafo.commitments.paragraphs import (
    numbered_paragraphs,
    propose_parties,
    propose_pillar,
    read_text,
)  # fmt: skip
from kafo.interop.hxl import read_hxl


def import_commitments(
    path: Path, framework_name: str, kind: str = CommitmentFrameworkKind.COMMUNIQUE,
    language: str = "fr",
) -> dict:  # fmt: skip
    """Read the document and write one draft commitment per numbered paragraph (the
    framework is made when new). Returns what was created, updated and kept, with the
    proposals; DocumentError (nothing written) when the document cannot be read."""
    paragraphs = numbered_paragraphs(read_text(Path(path)))
    organisations = [
        (pk, [name, acronym, *(alt or [])])
        for pk, name, acronym, alt in Organisation.objects.values_list(
            "pk", "name", "acronym", "alt_names"
        )
    ]
    report = {"framework": framework_name, "created": 0, "updated": 0, "kept": 0,
              "paragraphs": []}  # fmt: skip
    with transaction.atomic():
        framework, made = CommitmentFramework.objects.get_or_create(
            name=framework_name, defaults={"kind": kind}
        )
        report["framework_created"] = made
        pillars = list(framework.pillars.values_list("code", "name"))
        pillar_ids = dict(framework.pillars.values_list("code", "pk"))
        existing = {c.reference: c for c in framework.commitments.all()}
        text_field = "text_en" if language == "en" else "text_fr"
        for order, paragraph in enumerate(paragraphs, start=1):
            paragraph.pillar = propose_pillar(paragraph.text, pillars)
            paragraph.parties = propose_parties(paragraph.text, organisations)
            commitment = existing.get(paragraph.reference)
            outcome = "created"
            if commitment is None:
                commitment = Commitment.objects.create(
                    framework=framework, reference=paragraph.reference, order=order, draft=True,
                    pillar_id=pillar_ids.get(paragraph.pillar), **{text_field: paragraph.text},
                )  # fmt: skip
                commitment.responsible.set(paragraph.parties)
            elif commitment.draft and getattr(commitment, text_field) != paragraph.text:
                setattr(commitment, text_field, paragraph.text)
                commitment.order = order
                commitment.save(update_fields=[text_field, "order"])
                outcome = "updated"
            else:
                outcome = "kept"  # the same text, or already reviewed
            report[outcome] += 1
            report["paragraphs"].append({
                "reference": paragraph.reference, "line": paragraph.line, "outcome": outcome,
                "pillar": paragraph.pillar, "parties": paragraph.parties,
                "text": paragraph.text[:200],
            })  # fmt: skip
    return report


TABLE_SUFFIXES = {".csv", ".xlsx", ".json"}


class TableError(ValueError):
    """Rows of a commitments table that cannot be imported: nothing was written."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__("; ".join(f"{e['row']} {e['column']} « {e['value']} »: {e['reason']}"
                                   for e in errors[:20]))  # fmt: skip


def import_commitments_table(path: Path, framework_name: str,
                             kind: str = CommitmentFrameworkKind.COMMUNIQUE) -> dict:  # fmt: skip
    """Commitments from an HXL table (CSV, XLSX, JSON; an export imports back): #meta+ref
    (required), #description (French text; +en for English), #sector+pillar (a pillar
    code of the framework), #date+deadline, #org+responsible (names or acronyms, ";"
    between them), #indicator. All rows or none; a row with a known reference updates it."""
    import datetime

    from django.utils.translation import gettext as _

    table = read_hxl(path)
    columns = {name: table.column(pattern, exclude) for name, pattern, exclude in (
        ("reference", "#meta+ref", ()), ("text_fr", "#description", ("en",)),
        ("text_en", "#description+en", ()), ("pillar", "#sector+pillar", ()),
        ("deadline", "#date+deadline", ()), ("responsible", "#org+responsible", ()),
        ("indicators", "#indicator", ()))}  # fmt: skip
    if columns["reference"] is None:
        raise TableError([{"row": table.first_row - 1, "column": "#meta+ref", "value": "",
                           "reason": _("the column of references is missing")}])  # fmt: skip
    organisations = {}
    for pk, name, acronym in Organisation.objects.values_list("pk", "name", "acronym"):
        for key in (name, acronym):
            if key:
                organisations[key.strip().lower()] = pk
    errors, parsed, seen = [], [], set()
    for number, row in zip(table.row_numbers(), table.rows, strict=True):

        def cell(name: str, row=row) -> str:
            index = columns[name]
            return row[index].strip() if index is not None and index < len(row) else ""

        def wrong(name: str, value: str, reason: str, number=number) -> None:
            errors.append({"row": number, "column": table.label(columns[name]), "value": value,
                           "reason": reason})  # fmt: skip

        reference = cell("reference")
        if not reference:
            if any(c.strip() for c in row):
                wrong("reference", "", _("every commitment needs its reference"))
            continue
        if reference in seen:
            wrong("reference", reference, _("this reference appears twice"))
        seen.add(reference)
        deadline = None
        if text := cell("deadline"):
            try:
                deadline = datetime.date.fromisoformat(text)
            except ValueError:
                wrong("deadline", text, _("not a date (YYYY-MM-DD)"))
        responsible = []
        for name in filter(None, (n.strip() for n in cell("responsible").split(";"))):
            if name.lower() not in organisations:
                wrong("responsible", name, _("no organisation of that name or acronym"))
            else:
                responsible.append(organisations[name.lower()])
        parsed.append((reference, cell("text_fr"), cell("text_en"), cell("pillar"), deadline,
                       responsible, cell("indicators"), number))  # fmt: skip
    with transaction.atomic():
        framework, made = CommitmentFramework.objects.get_or_create(
            name=framework_name, defaults={"kind": kind}
        )
        pillars = dict(Pillar.objects.filter(framework=framework).values_list("code", "pk"))
        for *_values, pillar, _deadline, _responsible, _indicators, number in parsed:
            if pillar and pillar not in pillars:
                reason = _("no pillar with this code in the framework")
                errors.append({"row": number, "column": table.label(columns["pillar"]),
                               "value": pillar, "reason": reason})  # fmt: skip
        if errors:
            transaction.set_rollback(True)
            raise TableError(sorted(errors, key=lambda e: e["row"]))
        report = {"framework": framework_name, "framework_created": made, "created": 0,
                  "updated": 0, "kept": 0, "paragraphs": []}  # fmt: skip
        existing = {c.reference: c for c in framework.commitments.all()}
        for order, (reference, text_fr, text_en, pillar, deadline, responsible, indicators,
                    _number) in enumerate(parsed, start=1):  # fmt: skip
            values = {"text_fr": text_fr, "text_en": text_en, "deadline": deadline,
                      "pillar_id": pillars.get(pillar), "indicators": indicators,
                      "order": order, "draft": False}  # fmt: skip
            commitment = existing.get(reference)
            if commitment is None:
                commitment = Commitment.objects.create(framework=framework, reference=reference,
                                                       **values)  # fmt: skip
                outcome = "created"
            else:
                changed = any(getattr(commitment, k) != v for k, v in values.items())
                for key, value in values.items():
                    setattr(commitment, key, value)
                commitment.save()
                outcome = "updated" if changed else "kept"
            if sorted(commitment.responsible.values_list("pk", flat=True)) != sorted(responsible):
                commitment.responsible.set(responsible)
                outcome = "updated" if outcome == "kept" else outcome
            report[outcome] += 1
            report["paragraphs"].append({
                "reference": reference, "outcome": outcome, "pillar": pillar or None,
                "text": text_fr[:200],
            })  # fmt: skip
    return report
