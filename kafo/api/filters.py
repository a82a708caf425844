"""Filters every list of the API shares: p-code (with its children), sector, organisation
and period."""

import datetime

from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError


def _date(request, name: str) -> datetime.date | None:
    if name not in request.query_params:
        return None
    text = request.query_params[name].strip()
    if not text:
        raise ValidationError({name: "an empty date: give YYYY-MM-DD, or leave it out"})
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: f"{text!r} is not a date (YYYY-MM-DD)"}) from None


def filter_queryset(request, queryset: QuerySet, paths: dict[str, str | tuple[str, str]]):
    """Apply `?pcode=`, `?sector=`, `?organisation=`, `?start=`, `?end=` where the resource
    has the field (`paths` maps each filter to its lookup; period: (start, end) fields)."""
    params = request.query_params
    if (pcode := params.get("pcode", "").strip()) and "pcode" in paths:
        queryset = queryset.filter(**{f"{paths['pcode']}__startswith": pcode.upper()})
    if (sector := params.get("sector", "").strip()) and "sector" in paths:
        queryset = queryset.filter(**{paths["sector"]: sector.upper()})
    if (organisation := params.get("organisation", "").strip()) and "organisation" in paths:
        path = paths["organisation"]
        by_name = Q(**{f"{path}__acronym__iexact": organisation}) | Q(
            **{f"{path}__iati_identifier__iexact": organisation}
        )
        queryset = queryset.filter(
            Q(**{f"{path}_id": int(organisation)})
            if organisation.isascii() and organisation.isdigit() and len(organisation) <= 18
            else by_name
        )
    start, end = _date(request, "start"), _date(request, "end")
    if "period" in paths and (start or end):
        first, last = paths["period"]
        # Overlapping the period: starts before its end and ends after its start.
        if end:
            queryset = queryset.filter(
                Q(**{f"{first}__lte": end}) | Q(**{f"{first}__isnull": True})
            )
        if start:
            queryset = queryset.filter(
                Q(**{f"{last}__gte": start}) | Q(**{f"{last}__isnull": True})
            )
    return queryset.distinct() if "pcode" in paths and "__" in paths["pcode"] else queryset
