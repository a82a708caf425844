"""A partner records a disbursement; the amount is converted with the rate of its date;
pledged vs committed vs disbursed per donor and per pledge."""

import datetime
from decimal import Decimal

import pytest

from kafo.actors.models import Role
from kafo.currencies.models import ExchangeRate
from kafo.funding.models import Transaction
from kafo.funding.summaries import per_donor, per_pledge


@pytest.fixture
def parties(db, organisation, user_with_role):
    ExchangeRate.objects.create(currency="EUR", date="2024-01-01", to_usd=Decimal("1.10"),
                                source="BCEAO")  # fmt: skip
    echo, hi = organisation("ECHO", "donor"), organisation("HI")
    return echo, hi, user_with_role(Role.PARTNER_EDITOR, hi)


def _post(client, echo, hi, **values):
    data = {"type": "3", "provider": echo.pk, "receiver": hi.pk, "date": "2024-03-01",
            "amount": "100000", "currency": "EUR", "humanitarian": "on",
            "source_document": "Accord de subvention ECHO-HI, 2024", **values}  # fmt: skip
    return client.post("/funding/new/", data)


def test_a_partner_records_a_disbursement_it_receives(client, parties):
    echo, hi, editor = parties
    client.force_login(editor)
    response = _post(client, echo, hi)
    transaction = Transaction.objects.get()
    assert response["Location"] == transaction.get_absolute_url()
    assert transaction.amount_usd == Decimal("110000.00")
    assert transaction.amount_xof == Decimal("65595700")
    assert (transaction.rate_date, transaction.rate_source) == (datetime.date(2024, 1, 1), "BCEAO")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"amount": "Infinity"}, "amount", "nombre"),
        ({"currency": "ABC"}, "currency", "ISO 4217"),
        ({"receiver": None}, "receiver", "autre organisation"),
    ],
    ids=["infinite", "currency", "same-party"],
)
def test_bad_values_change_nothing(client, parties, values, field, message):
    echo, hi, editor = parties
    client.force_login(editor)
    if values.get("receiver", 1) is None:
        values = {"receiver": echo.pk}
    response = _post(client, echo, hi, **values)
    assert message in " ".join(response.context["form"].errors[field])
    assert not Transaction.objects.exists()


def test_a_reversal_keeps_its_sign(client, parties):
    echo, hi, editor = parties
    client.force_login(editor)
    _post(client, echo, hi, amount="-5000")
    assert Transaction.objects.get().amount_usd == Decimal("-5500.00")


def test_without_a_rate_the_amount_is_kept_and_its_conversion_waits(client, parties):
    echo, hi, editor = parties
    client.force_login(editor)
    response = _post(client, echo, hi, date="2023-06-01")
    transaction = Transaction.objects.get()
    assert (transaction.amount, transaction.currency) == (Decimal(100000), "EUR")
    assert transaction.conversion_pending and transaction.amount_usd is None
    page = client.get(response["Location"]).content.decode()
    assert "en attente d’un taux de change" in page
    listing = client.get("/funding/").content.decode()
    assert "1 transaction attend un taux de change" in listing


def test_a_partner_records_only_its_own_flows(client, parties, organisation):
    echo, _hi, editor = parties
    client.force_login(editor)
    response = _post(client, echo, organisation("MAG"))
    assert "votre organisation" in " ".join(response.context["form"].errors["provider"])


def test_pledged_committed_disbursed_per_donor_and_per_pledge(client, parties, coordinator):
    echo, hi, _editor = parties
    client.force_login(coordinator)
    _post(client, echo, hi, type="12", amount="200000", date="2024-02-01")
    pledge = Transaction.objects.get()
    _post(client, echo, hi, type="2", amount="150000", pledge=pledge.pk)
    _post(client, echo, hi, type="3", amount="50000", pledge=pledge.pk)
    rows = per_donor(Transaction.objects.all())
    assert rows[0]["pledged"] == Decimal("220000.00") and rows[0]["disbursed"] == Decimal(
        "55000.00"
    )
    [row] = per_pledge(Transaction.objects.all())
    assert (row["committed"], row["disbursed"], row["share_disbursed"]) == (
        Decimal("165000.00"), Decimal("55000.00"), Decimal(25),
    )  # fmt: skip
    page = client.get("/funding/").content.decode()
    assert "220" in page and "ECHO" in page


def test_the_funding_map_shows_the_funded_activities(client, parties, demo_geography):
    import json

    from kafo.geo.models import AdminUnit
    from kafo.response.models import Activity

    echo, hi, editor = parties
    funded, unfunded = (
        Activity.objects.create(
            organisation=hi, title=title, sector="PRO-MIN", activity_type="EORE"
        )
        for title in ("financée", "non financée")
    )
    for activity in (funded, unfunded):
        activity.locations.set([AdminUnit.objects.get(pcode="ML0501")])
    client.force_login(editor)
    _post(client, echo, hi, activity=funded.pk)
    features = json.loads(client.get("/response/activities.geojson?funded=1").content)["features"]
    assert [f["properties"]["reference"] for f in features] == ["financée"]


def test_the_edit_link_is_shown_to_both_sides_of_a_flow(client, parties, user_with_role):
    echo, hi, editor = parties
    client.force_login(editor)
    _post(client, echo, hi)
    transaction = Transaction.objects.get()
    assert client.get(transaction.get_absolute_url()).context["can_edit"] is True
    client.force_login(user_with_role(Role.PARTNER_EDITOR))  # another organisation
    assert client.get(transaction.get_absolute_url()).context["can_edit"] is False
