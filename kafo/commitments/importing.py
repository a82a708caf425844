"""A document's numbered paragraphs as draft commitments of a framework, for review: all
written or none, a second import of the same document changes nothing, and paragraphs
already reviewed are never overwritten."""

from pathlib import Path

from django.db import transaction

from kafo.actors.models import Organisation
from kafo.commitments.models import Commitment, CommitmentFramework, FrameworkKind
from kafo.commitments.paragraphs import (
    numbered_paragraphs,
    propose_parties,
    propose_pillar,
    read_text,
)  # fmt: skip


def import_commitments(path: Path, framework_name: str, kind: str = FrameworkKind.COMMUNIQUE,
                       language: str = "fr") -> dict:  # fmt: skip
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
