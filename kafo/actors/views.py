from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kafo.actors.forms import OrganisationFilterForm, OrganisationForm
from kafo.actors.matching import OrganisationMatcher
from kafo.actors.models import Organisation
from kafo.actors.permissions import can_edit, is_coordinator, membership_of


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
        "can_create": is_coordinator(request.user),
    }
    template = "actors/_organisation_rows.html" if request.htmx else "actors/organisation_list.html"
    return render(request, template, context)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    membership = membership_of(request.user)
    own = membership is not None and membership.organisation_id == organisation.pk
    members = None
    if is_coordinator(request.user) or own:
        members = organisation.members.select_related("user").order_by("user__username")
    return render(
        request,
        "actors/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "can_edit": can_edit(request.user, organisation),
            "children": organisation.children.all(),
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
    if not is_coordinator(request.user):
        raise PermissionDenied(_("Only the national coordination adds organisations."))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, _("Organisation added."))
        return redirect(organisation)
    return render(request, "actors/organisation_form.html", {"form": form, "organisation": None})
