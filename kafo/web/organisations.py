from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.actors.forms import OrganisationFilterForm, OrganisationForm
from kafo.actors.hxl import ORGANISATION_COLUMNS
from kafo.actors.matching import OrganisationMatcher
from kafo.actors.models import Membership, Organisation
from kafo.actors.permissions import (
    can_edit,
    may_add_organisations,
)
from kafo.security.disclosure import disclosed_table, may_see_rows, readable
from kafo.security.exports import csv_response, people_header, people_values

# Export columns and their HXL hashtags (the 3W "who" of the HXL standard).


def organisation_list(request: HttpRequest) -> HttpResponse:
    """The directory, searchable by name, acronym or other name, even misspelt."""
    form = OrganisationFilterForm(request.GET or None)
    organisations = Organisation.objects.select_related("parent")
    suggestion = None
    if form.is_valid():
        if kind := form.cleaned_data["type"]:
            organisations = organisations.filter(type=kind)
        if query := form.cleaned_data["q"].strip():
            direct = organisations.filter(
                Q(name__icontains=query) | Q(acronym__iexact=query) | Q(alt_names__icontains=query)
            )
            if direct.exists():
                organisations = direct
            else:
                match = OrganisationMatcher.from_queryset(organisations).match(query)
                ids = (
                    [match.organisation_id] if match.certain else [c for c, _s in match.candidates]
                )
                organisations = organisations.filter(pk__in=ids)
                suggestion = bool(ids)
    context = {
        "form": form,
        "organisations": organisations,
        "suggestion": suggestion,
        "can_create": may_add_organisations(request.user),
        "export_rows": Organisation.objects.count(),  # the export holds them all
    }
    template = "actors/_organisation_rows.html" if request.htmx else "actors/organisation_list.html"
    return render(request, template, context)


def organisation_export(request: HttpRequest) -> HttpResponse:
    """The directory as CSV, or HXL with `?format=hxl`, for Excel and the 3W."""
    columns, rows = disclosed_table(
        request.user, Organisation.objects.order_by("name"), list(ORGANISATION_COLUMNS)
    )
    header = people_header(Organisation, columns)
    hashtags = (
        [ORGANISATION_COLUMNS[c] for c in columns] if request.GET.get("format") == "hxl" else None
    )
    if hashtags is None:
        rows = people_values(Organisation, columns, rows)
    return csv_response(request, "organisations", header, rows, hashtags)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    members = None
    if may_see_rows(request.user, Membership, organisation.pk):
        members = readable(request.user, organisation.members.select_related("user"))
        members = members.order_by("user__username")
    return render(
        request,
        "actors/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "can_edit": can_edit(request.user, organisation),
            "children": organisation.children.all(),
            "accreditations": organisation.accreditations.select_related("issuer"),
            "today": timezone.localdate(),
        },
    )


def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Partners edit their own organisation; coordinators edit any."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can_edit(request.user, organisation):
        raise PermissionDenied(_("You may only edit your own organisation."))
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Organisation saved."))
        return redirect(organisation)
    return render(
        request, "actors/organisation_form.html", {"form": form, "organisation": organisation}
    )


def organisation_create(request: HttpRequest) -> HttpResponse:
    """Coordinators add organisations; a name Kafo already knows is refused."""
    if not may_add_organisations(request.user):
        raise PermissionDenied(_("Only the national coordination adds organisations."))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, _("Organisation added."))
        return redirect(organisation)
    return render(request, "actors/organisation_form.html", {"form": form, "organisation": None})
