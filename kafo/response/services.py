"""What other apps and the API call to change the 5W: saving an activity as the form
cleaned it, and the form's values of an existing activity."""

from django.db import transaction

from kafo.actors.models import Organisation
from kafo.response.activities.forms import ActivityForm
from kafo.response.models import (
    Activity,
    ActivityObjective,
    ActivityParticipant,
    OrganisationRole,
)
from kafo.response.strategies.splits import percent_text

# The participants an activity form names, by field (the implementing organisation is the
# activity's own).
ROLE_FIELDS = {
    "funding": OrganisationRole.FUNDING,
    "accountable": OrganisationRole.ACCOUNTABLE,
    "extending": OrganisationRole.EXTENDING,
}


@transaction.atomic
def save_activity(form: ActivityForm, organisation: Organisation, user) -> Activity:
    """Save a valid activity form (the web's or the API's): the activity, its places,
    points, participants and shares in objectives, all or nothing."""
    activity = form.save(commit=False)
    if activity.pk is None:
        activity.organisation = organisation
        activity.created_by = user
    activity.points = form.cleaned_data["points_text"]
    activity.record_references = form.cleaned_data["references_text"]
    activity.save()
    activity.locations.set(form.cleaned_data["location_pcodes"])
    activity.participants.exclude(role=OrganisationRole.IMPLEMENTING).delete()
    ActivityParticipant.objects.bulk_create(
        ActivityParticipant(activity=activity, organisation=org, role=role)
        for field, role in ROLE_FIELDS.items()
        for org in form.cleaned_data[field]
    )
    ActivityParticipant.objects.get_or_create(
        activity=activity, organisation=activity.organisation, role=OrganisationRole.IMPLEMENTING
    )
    activity.objectives.all().delete()
    ActivityObjective.objects.bulk_create(
        ActivityObjective(activity=activity, objective=objective, percentage=percentage)
        for objective, percentage in form.cleaned_data["splits_text"]
    )
    return activity


def activity_form_initial(activity: Activity) -> dict:
    """What the activity form shows of an activity beyond its own fields."""
    initial = {
        "location_pcodes": " ".join(u.pcode for u in activity.locations.all()),
        "points_text": "\n".join(f"{lon} {lat}" for lon, lat in activity.points),
        "references_text": " ".join(activity.record_references),
        "splits_text": "\n".join(
            f"{share.objective.code} ; {percent_text(share.percentage)}"
            for share in activity.objectives.select_related("objective")
        ),
    }
    for field, role in ROLE_FIELDS.items():
        initial[field] = [p.organisation_id for p in activity.participants.filter(role=role)]
    return initial
