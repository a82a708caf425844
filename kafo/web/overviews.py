"""The pages that bring the domains together per organisation: the overview of who does
what, lends, gives and receives, and an organisation's own page."""

from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from kafo.actors.models import Organisation
from kafo.actors.permissions import membership_of
from kafo.data_version import rows_once_per_version
from kafo.funding.models import DISBURSED, Transaction
from kafo.funding.summaries import per_donor
from kafo.response.models import TOTAL_GROUPS, Activity, Loan, Resource
from kafo.security.disclosure import disclose, readable


def overview(request: HttpRequest) -> HttpResponse:
    """One map and one table: per organisation, what it does, lends, gives and receives."""
    activities = readable(request.user, Activity.objects.all())
    resources = readable(request.user, Resource.objects.filter(offered=True))
    flows = readable(request.user, Transaction.objects.filter(type__in=sorted(DISBURSED)))
    organisations: set[int] = set()
    rows: dict[int, dict] = {}

    def row(organisation_id: int) -> dict:
        organisations.add(organisation_id)
        empty = dict.fromkeys(("activities", "reached", "offered", "received_usd", "given_usd"), 0)
        return rows.setdefault(organisation_id, {"organisation": None, **empty})

    # Counted in the database: one row per organisation, whatever the number of activities.
    # Each group summed as a big integer: the largest counts a column holds overflow a
    # PostgreSQL integer once added together.
    sums = {group: Sum(Cast(F(f"reached_{group}"), BigIntegerField())) for group in TOTAL_GROUPS}
    per_organisation = activities.order_by().values("organisation").annotate(n=Count("id"), **sums)
    for item in rows_once_per_version(per_organisation):
        entry = row(item["organisation"])
        entry["activities"] += item["n"]
        entry["reached"] += sum(int(item[group] or 0) for group in TOTAL_GROUPS)
    for item in resources.order_by().values("organisation").annotate(n=Count("id")):
        row(item["organisation"])["offered"] += item["n"]
    # Flows one by one: each is rounded to the cent as the funding pages round it.
    for flow in flows.only("amount", "rate_to_usd", "country_share", "provider_id",
                           "receiver_id"):  # fmt: skip
        if flow.amount_usd is None:  # waiting for a rate: counted on the funding page
            continue
        row(flow.receiver_id)["received_usd"] += flow.country_amount_usd
        row(flow.provider_id)["given_usd"] += flow.country_amount_usd
    for organisation in Organisation.objects.filter(pk__in=organisations):
        rows[organisation.pk]["organisation"] = organisation
    return render(
        request,
        "web/overview.html",
        {"rows": sorted(rows.values(), key=lambda r: r["organisation"].name)},
    )


def organisation_work(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """ "My organisation": what it reports, lends and borrows, funds and receives."""
    if pk is None:
        membership = membership_of(request.user)
        if membership is None:
            raise PermissionDenied(_("You belong to no organisation."))
        pk = membership.organisation_id

    organisation = get_object_or_404(Organisation, pk=pk)
    resources = readable(request.user, organisation.resources.all())
    given = readable(request.user, Transaction.objects.filter(provider=organisation))
    received = readable(request.user, Transaction.objects.filter(receiver=organisation))
    return render(
        request,
        "web/organisation_work.html",
        {
            "organisation": organisation,
            "activities": disclose(
                request.user, readable(request.user, organisation.activities.all())
            ),
            "resources": disclose(request.user, resources),
            "lent": readable(
                request.user, Loan.objects.filter(resource__organisation=organisation)
            ).select_related("resource", "borrower"),
            "borrowed": readable(
                request.user, organisation.loans.select_related("resource__organisation")
            ),
            "given": per_donor(given),
            "received": disclose(request.user, received.select_related("provider")[:200]),
        },
    )
