"""Organisations from HXL: matched to the directory (IATI identifier, then names), updated,
or created; a name Kafo is unsure of is created and flagged for review."""

from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kafo.actors.matching import OrganisationMatcher, normalise
from kafo.actors.models import Organisation, OrganisationType
from kafo.interop.batches import RowResult, run_batch
from kafo.interop.hxl import HxlTable
from kafo.interop.models import ImportBatch

FIELDS = {  # model field → HXL pattern
    "name": "#org+name", "acronym": "#org+acronym", "type": "#org+type",
    "iati_identifier": "#org+code", "website": "#org+url",
}  # fmt: skip


def _type_codes() -> dict[str, str]:
    codes = {}
    for language in ("fr", "en"):
        with translation.override(language):
            for code, label in OrganisationType.choices:
                codes[normalise(str(label))] = code
                codes[normalise(code)] = code
    return codes


def _columns(table: HxlTable) -> dict[str, int | None]:
    columns = {name: table.column(pattern, ("parent",)) for name, pattern in FIELDS.items()}
    if columns["name"] is None:
        columns["name"] = table.column("#org", ("acronym", "type", "code", "url", "parent"))
    columns["parent"] = table.column("#org+name+parent")
    return columns


def _check(table, columns, types, number: int, row: list[str]) -> RowResult:
    result = RowResult(number)

    def cell(key):
        index = columns.get(key)
        return index, (row[index].strip() if index is not None and index < len(row) else "")

    index, name = cell("name")
    if not name:
        result.error(table, index, "", _("the organisation's name is missing"))
    index, kind = cell("type")
    code = types.get(normalise(kind)) if kind else OrganisationType.INTERNATIONAL_NGO
    if code is None:
        result.error(table, index, kind, _("unknown organisation type; valid codes: %(codes)s")
                     % {"codes": ", ".join(OrganisationType.values)})  # fmt: skip
    result.values = {"name": name[:255], "type": code, "acronym": cell("acronym")[1][:40],
                     "iati_identifier": cell("iati_identifier")[1][:100],
                     "website": cell("website")[1][:200], "parent": cell("parent")[1]}  # fmt: skip
    return result


@transaction.atomic
def _write(batch: ImportBatch, results: list[RowResult]) -> None:
    matcher = OrganisationMatcher.from_queryset(Organisation.objects.all())
    for result in results:
        values = dict(result.values)
        parent_name = values.pop("parent")
        organisation = None
        if values["iati_identifier"]:
            organisation = Organisation.objects.filter(
                iati_identifier=values["iati_identifier"]
            ).first()
        if organisation is None:
            match = matcher.match(values["name"])
            if not match.certain and values["acronym"]:
                by_acronym = matcher.match(values["acronym"])
                match = by_acronym if by_acronym.certain else match
            if match.certain:
                organisation = Organisation.objects.get(pk=match.organisation_id)
            elif match.candidates:
                values["needs_review"] = True  # close to a known name: a person decides
        if organisation is None:
            organisation = Organisation.objects.create(**values)
            matcher = OrganisationMatcher.from_queryset(Organisation.objects.all())
            batch.created += 1
        else:
            for key, value in values.items():
                if value and key not in ("name", "needs_review"):
                    setattr(organisation, key, value)
            organisation.save()
            batch.updated += 1
        if parent_name:
            parent = matcher.match(parent_name)
            if parent.certain and parent.organisation_id != organisation.pk:
                organisation.parent_id = parent.organisation_id
                organisation.save(update_fields=["parent"])


def import_organisations(
    path: Path | str | HxlTable,
    *,
    user=None,
    accept_valid: bool = False,
    mapping: dict | None = None,
    **options,
) -> ImportBatch:
    """Import organisations from an HXL file as one batch (see `run_batch`)."""
    types = _type_codes()

    def check(table: HxlTable):
        columns = _columns(table)
        return lambda number, row: _check(table, columns, types, number, row)

    return run_batch(
        "organisations", path, check, _write, user=user, accept_valid=accept_valid, **options
    )
