"""When a new COD version becomes active, the records placed in units of the old one
follow: a unit that is the same in the new version (same p-code, level and name) takes
its records; a record with a point of its own is placed by that point; the others stay
on their old unit and are listed for review (`to_review`), so no page or plan fails.

The links are found from the models' own metadata: a relation added later is moved too.
"""

import unicodedata
from dataclasses import dataclass, field

from django.apps import apps
from django.db import IntegrityError, transaction

from kafo.geo.lookup import locator_for_version
from kafo.geo.models import AdminUnit, CodVersion

# Links that belong to their version and never move.
OWN_LINKS = {("geo.AdminUnit", "parent"), ("geo.Settlement", "admin_unit"),
             ("geo.Settlement", "point_admin_unit")}  # fmt: skip


@dataclass
class RehomingReport:
    """How many links moved by p-code, by point, and how many wait for review."""

    by_pcode: int = 0
    by_point: int = 0
    to_review: int = 0
    moved: dict[str, int] = field(default_factory=dict)


def unit_links() -> list:
    """Every foreign key and many-to-many field to AdminUnit, outside the boundaries."""
    links = []
    for model in apps.get_models():
        for link in model._meta.get_fields():
            if not link.is_relation or link.auto_created or link.related_model is not AdminUnit:
                continue
            if (model._meta.label, link.name) in OWN_LINKS:
                continue
            if link.many_to_one or link.many_to_many:
                links.append(link)
    return links


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def same_units(old_ids, version: CodVersion) -> dict[int, int]:
    """Old unit id → the same unit in `version`: same p-code, level and (folded) name
    (the p-code alone is not enough: ML0101 is Kayes in 2015 and Bafoulabé in 2021)."""
    new = {(pcode, level): (pk, _fold(name)) for pk, pcode, level, name in
           AdminUnit.objects.filter(cod_version=version)
           .values_list("pk", "pcode", "level", "name")}  # fmt: skip
    found = {}
    for pk, pcode, level, name in AdminUnit.objects.filter(pk__in=old_ids).values_list(
        "pk", "pcode", "level", "name"
    ):
        match = new.get((pcode, level))
        if match and match[1] == _fold(name):
            found[pk] = match[0]
    return found


def rehome(version: CodVersion) -> RehomingReport:
    """Move every link to a unit of another version of the same country onto `version`."""

    report = RehomingReport()
    elsewhere = AdminUnit.objects.filter(cod_version__country=version.country).exclude(
        cod_version=version
    )
    locator = None
    for link in unit_links():
        model = link.model
        label = f"{model._meta.label}.{link.name}"
        if link.many_to_many:
            through = link.remote_field.through
            source, target = _through_columns(through, model)
            rows = through.objects.filter(**{f"{target}__in": elsewhere})
            old_ids = set(rows.values_list(target, flat=True))
            mapping = same_units(old_ids, version)
            for old, new in mapping.items():
                for row in rows.filter(**{target: old}):
                    already = through.objects.filter(**{source: getattr(row, source),
                                                        target: new}).exists()  # fmt: skip
                    if already:
                        row.delete()
                    else:
                        setattr(row, target, new)
                        row.save(update_fields=[target])
                    report.by_pcode += 1
                    report.moved[label] = report.moved.get(label, 0) + 1
            continue
        column = link.attname
        stale = model._default_manager.filter(**{f"{link.name}__in": elsewhere})
        # A record with a point of its own goes to the finest unit holding it.
        if {"longitude", "latitude"} <= {f.name for f in model._meta.concrete_fields}:
            placed = list(stale.exclude(longitude=None).exclude(latitude=None)
                          .values_list("pk", "longitude", "latitude"))  # fmt: skip
            if placed:
                locator = locator or locator_for_version(version)
                for pk, new in zip([row[0] for row in placed], _finest(locator, placed),
                                   strict=True):  # fmt: skip
                    if new >= 0 and _move(model, pk, column, int(new)):
                        report.by_point += 1
                        report.moved[label] = report.moved.get(label, 0) + 1
        # The others go to the same unit of the new version, where there is one.
        old_ids = set(stale.values_list(column, flat=True))
        for old, new in same_units(old_ids, version).items():
            for pk in stale.filter(**{column: old}).values_list("pk", flat=True):
                if _move(model, pk, column, new):
                    report.by_pcode += 1
                    report.moved[label] = report.moved.get(label, 0) + 1
    report.to_review = sum(len(rows) for rows in to_review().values())
    return report


def _finest(locator, rows):
    import numpy as np

    lon = np.array([row[1] for row in rows], dtype=float)
    lat = np.array([row[2] for row in rows], dtype=float)
    result = np.full(len(rows), -1, dtype=np.int64)
    for _level, ids in sorted(locator.locate(lon, lat).items(), reverse=True):
        result = np.where(result >= 0, result, ids)
    return result


def _move(model, pk: int, column: str, unit_id: int) -> bool:
    """One link moved; a move that would break a uniqueness rule is left for review."""
    try:
        with transaction.atomic():
            model._default_manager.filter(pk=pk).update(**{column: unit_id})
        return True
    except IntegrityError:
        return False


def _through_columns(through, model) -> tuple[str, str]:
    """The names of a many-to-many table's columns: (the record's, the unit's)."""
    source = target = ""
    for column in through._meta.concrete_fields:
        if column.is_relation and column.related_model is AdminUnit:
            target = column.attname
        elif column.is_relation and column.related_model is model:
            source = column.attname
    return source, target


def to_review() -> dict[str, list[dict]]:
    """Per kind of link, the records still placed in a unit of an inactive version."""
    found: dict[str, list[dict]] = {}
    stale = AdminUnit.objects.filter(cod_version__is_active=False)
    for link in unit_links():
        model = link.model
        label = str(model._meta.verbose_name_plural)
        if link.many_to_many:
            through = link.remote_field.through
            source, target = _through_columns(through, model)
            rows = through.objects.filter(**{f"{target}__in": stale})
            pairs = list(rows.values_list(source, target))
        else:
            pairs = list(
                model._default_manager.filter(**{f"{link.name}__in": stale})
                .values_list("pk", link.attname)
            )  # fmt: skip
        if not pairs:
            continue
        units = {u.pk: u for u in AdminUnit.objects.filter(pk__in={p[1] for p in pairs})
                 .select_related("cod_version").without_geometry()}  # fmt: skip
        records = model._default_manager.in_bulk({p[0] for p in pairs})
        for record_id, unit_id in pairs:
            record = records.get(record_id)
            found.setdefault(label, []).append({
                "record": record, "unit": units[unit_id], "field": str(link.verbose_name),
                # A reference or a number, never the record's text (a person's name).
                "label": getattr(record, "reference", None) or f"#{record_id}",
                "url": record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
            })  # fmt: skip
    return found
