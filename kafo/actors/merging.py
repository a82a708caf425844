"""Merging an organisation made by an import into the known one it really is."""

from django.db import IntegrityError, models, transaction

from kafo.actors.models import Organisation


def organisation_links() -> list[tuple[type[models.Model], str]]:
    """Every foreign key to an organisation, as (model, field name): those declared with
    `related_name="+"` and the tables of many-to-many fields included (Django hides both
    from `related_objects`)."""
    links = []
    for relation in Organisation._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.many_to_one is False:
            field = getattr(relation, "field", None)
            if isinstance(field, models.ForeignKey):  # OneToOneField too
                links.append((relation.related_model, field.name))
    return links


@transaction.atomic
def merge_organisation(duplicate: Organisation, into: Organisation) -> None:
    """Point everything at `duplicate` to `into`, keep its names as other names of
    `into`, and delete it. A link that would then repeat one `into` already has (the same
    role in the same activity) is dropped."""
    if duplicate.pk == into.pk:
        raise ValueError("an organisation cannot be merged into itself")
    for model, name in organisation_links():
        rows = model._base_manager.filter(**{name: duplicate})
        try:
            with transaction.atomic():
                rows.update(**{name: into})
        except IntegrityError:
            for row in rows:
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=row.pk).update(**{name: into})
                except IntegrityError:
                    row.delete()
    names = [duplicate.name, duplicate.acronym, *duplicate.alt_names]
    known = {n.casefold() for n in [into.name, into.acronym, *into.alt_names] if n}
    into.alt_names = [*into.alt_names, *(n for n in names if n and n.casefold() not in known)]
    if not into.iati_identifier and duplicate.iati_identifier:
        into.iati_identifier = duplicate.iati_identifier
        duplicate.iati_identifier = ""  # unique when set: free it first
        duplicate.save(update_fields=["iati_identifier"])
    into.save()
    duplicate.delete()
