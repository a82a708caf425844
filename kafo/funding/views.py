from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction as db_transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kafo.actors.permissions import can_create, can_record_flow, membership_of
from kafo.funding.forms import TransactionForm
from kafo.funding.hxl import TRANSACTION_COLUMNS
from kafo.funding.localisation import localisation
from kafo.funding.models import Transaction, TransactionObjective, TransactionType
from kafo.funding.summaries import pending_count, per_donor, per_pledge
from kafo.paging import page_of
from kafo.response.strategies.splits import percent_text as _percent
from kafo.security.disclosure import disclose, disclosed_table, readable
from kafo.security.exports import csv_response, people_header, people_values


def _transactions(request: HttpRequest):
    rows = readable(request.user, Transaction.objects.select_related("provider", "receiver"))
    if (org := request.GET.get("organisation", "")).isdigit():
        rows = rows.filter(provider_id=org) | rows.filter(receiver_id=org)
    if kind := request.GET.get("type", ""):
        rows = rows.filter(type=kind)
    return rows


def transaction_list(request: HttpRequest) -> HttpResponse:
    """Where the money goes: flows, and pledged vs committed vs disbursed."""
    rows = _transactions(request)
    pager = page_of(request, rows)
    return render(
        request,
        "funding/transaction_list.html",
        {
            **pager,
            "transactions": disclose(request.user, pager["page"].object_list),
            "donors": per_donor(rows),
            "pledges": per_pledge(rows),
            "pending": pending_count(rows),
            "types": TransactionType.choices,
            "query": request.GET.urlencode(),
            "can_create": can_create(request.user),
        },
    )


def transaction_export(request: HttpRequest) -> HttpResponseBase:
    columns, rows = disclosed_table(request.user, _transactions(request), list(TRANSACTION_COLUMNS))
    hashtags = (
        [TRANSACTION_COLUMNS[c] for c in columns] if request.GET.get("format") == "hxl" else None
    )
    if hashtags is None:
        rows = people_values(Transaction, columns, rows)
    return csv_response(request, "transactions", people_header(Transaction, columns), rows,
                        hashtags)  # fmt: skip


def transaction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transaction = get_object_or_404(readable(request.user, Transaction.objects.all()), pk=pk)
    return render(
        request,
        "funding/transaction_detail.html",
        {
            "transaction": disclose(request.user, transaction),
            "shares": transaction.objectives.select_related("objective__framework"),
            "can_edit": _own(request.user, transaction),
        },
    )


def _own(user, transaction: Transaction) -> bool:
    return can_record_flow(user, transaction.provider_id, transaction.receiver_id)


def transaction_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a pledge, commitment, disbursement or expenditure of one's organisation."""
    transaction = get_object_or_404(Transaction, pk=pk) if pk else None
    if not can_create(request.user) or (transaction and not _own(request.user, transaction)):
        raise PermissionDenied(_("Record only the flows your organisation gives or receives."))
    initial = None
    if transaction:
        initial = {"splits_text": "\n".join(
            f"{s.objective.code} ; {_percent(s.percentage)}"
            for s in transaction.objectives.select_related("objective"))}  # fmt: skip
    form = TransactionForm(
        request.POST or None, instance=transaction, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        with db_transaction.atomic():
            transaction = form.save()
            transaction.objectives.all().delete()
            TransactionObjective.objects.bulk_create(
                TransactionObjective(transaction=transaction, objective=o, percentage=p)
                for o, p in form.cleaned_data["splits_text"]
            )
        messages.success(request, _("Transaction saved."))
        if transaction.conversion_pending:
            messages.warning(
                request,
                _("No exchange rate is known yet for %(currency)s on this date: the amount is "
                  "kept in %(currency)s and will be converted once a rate is loaded.")
                % {"currency": transaction.currency},
            )  # fmt: skip
        return redirect(transaction)
    return render(request, "web/form.html", {"form": form, "title": _("Transaction")})


def localisation_page(request: HttpRequest) -> HttpResponse:
    """How directly the money reaches national and local actors (every member: aggregates
    and flows that are public already)."""
    if membership_of(request.user) is None:
        raise PermissionDenied(_("The figures are for the members of the platform."))
    year = request.GET.get("year", "")
    chosen = int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else None
    years = sorted({d.year for d in Transaction.objects.dates("date", "year")}, reverse=True)
    return render(request, "funding/localisation.html", {
        "figures": localisation(chosen), "year": chosen, "years": years,
    })  # fmt: skip
