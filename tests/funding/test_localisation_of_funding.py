"""The localisation page's figures, counted by hand: USD received by national and local
actors by depth (flows in euros and CFA francs converted at their own rates, a flow
waiting for its rate in no sum), by origin donor and year; the flows whose chain is
unknown listed; money from IATI and money entered by hand (with its source document) told
apart; a flow entered by hand without its source document refused."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.funding.localisation import localisation
from kafo.funding.models import Transaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows(organisation):
    echo = organisation("ECHO", kind="donor", name="ECHO")
    bid = organisation("BID", kind="donor", name="Banque islamique de développement")
    unicef = organisation("UNICEF", kind="un_agency", name="UNICEF")
    mag = organisation("MAG", name="MAG")  # an international NGO funded by no record
    amss = organisation("AMSS", kind="national_ngo", name="AMSS")
    asdap = organisation("ASDAP", kind="national_ngo", name="ASDAP")
    amdd = organisation("AMDD", kind="national_ngo", name="AMDD")  # funded through UNICEF only
    crm = organisation("CRM", kind="red_cross", name="Croix-Rouge")  # category unknown

    def flow(provider, receiver, amount, currency="USD", rate="1", year=2025, **values):
        return Transaction.objects.create(
            type="3", provider=provider, receiver=receiver, amount=Decimal(amount),
            currency=currency, rate_to_usd=None if rate is None else Decimal(rate),
            date=datetime.date(year, 3, 1), **values,
        )  # fmt: skip

    made = {
        # ECHO → AMSS direct: EUR 100,000 at 1.10 = USD 110,000 (IATI)
        "direct": flow(echo, amss, "100000", "EUR", "1.1", source_id="iati:1"),
        # ECHO → UNICEF → ASDAP: one intermediary; XOF 60,000,000 at 0.0016 = USD 96,000
        "to_unicef": flow(echo, unicef, "500000", source_id="iati:2"),
        "via_unicef": flow(unicef, asdap, "60000000", "XOF", "0.0016", source_id="iati:3"),
        # BID (no IATI: by hand) → UNICEF → AMDD → ASDAP: two intermediaries, USD 20,000
        "by_hand": flow(bid, unicef, "300000", source_document="Communiqué OCI, 2025"),
        "to_amdd": flow(unicef, amdd, "50000", source_id="iati:4"),
        "two_deep": flow(amdd, asdap, "20000", source_document="Accord AMDD-ASDAP"),
        # MAG → AMSS: where MAG's money came from is not recorded
        "missing": flow(mag, amss, "7000", source_document="Rapport MAG"),
        # UNICEF → Croix-Rouge: category unknown
        "unknown_category": flow(unicef, crm, "5000", source_id="iati:5"),
        # waiting for its rate: in no sum
        "pending": flow(echo, amss, "9999", "GBP", None, source_id="iati:6"),
        # another year
        "2024": flow(echo, amss, "1000", year=2024, source_id="iati:7"),
    }
    return made


def test_depths_and_sums_in_usd(flows):
    figures = localisation(2025)
    overall = figures["overall"]
    received = 110000 + 500000 + 96000 + 300000 + 50000 + 20000 + 7000 + 5000
    assert overall.total == Decimal(received)
    assert overall.local == {"0": Decimal(110000), "1": Decimal(96000 + 50000),
                             "2+": Decimal(20000), "unknown": Decimal(7000)}  # fmt: skip
    assert overall.unknown_receiver == Decimal(5000)
    assert overall.as_directly_as_possible == Decimal(256000)
    assert overall.share(overall.as_directly_as_possible) == pytest.approx(256000 / received)
    assert overall.meets_target is False  # 256,000 / 1,088,000 = 23.5 %, under 25 %
    assert figures["pending"] == 1
    assert [(f.pk, reason) for f, reason in figures["unknown_chains"]] == [
        (flows["missing"].pk, "missing")
    ]
    assert figures["sources"] == {"iati": Decimal(110000 + 500000 + 96000 + 50000 + 5000),
                                  "by_hand": Decimal(300000 + 20000 + 7000)}  # fmt: skip


def test_by_origin_donor_and_year(flows):
    by_donor = dict(localisation(2025)["by_donor"])
    assert by_donor["ECHO"].local["0"] == Decimal(110000)
    assert by_donor["ECHO"].total == Decimal(110000 + 500000)
    # UNICEF's money comes from ECHO and from the BID, both one step away: the tie goes to
    # the first by name, the BID, for everything UNICEF passes on.
    bid = by_donor["Banque islamique de développement"]
    assert bid.total == Decimal(300000 + 96000 + 50000 + 5000 + 20000)
    assert bid.local == {"0": 0, "1": Decimal(146000), "2+": Decimal(20000), "unknown": 0}
    by_year = dict(localisation()["by_year"])
    assert set(by_year) == {2024, 2025} and by_year[2024].local["0"] == Decimal(1000)


def test_the_page(client, flows, user_with_role):
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    page = client.get(reverse("funding:localisation"), {"year": "2025"}).content.decode()
    assert "Rapport MAG" in page  # the unknown chain, with its source
    assert "Banque islamique de développement" in page


def test_a_flow_entered_by_hand_names_its_source(client, coordinator, organisation, english):
    client.force_login(coordinator)
    bid, amss = organisation("BID", kind="donor"), organisation("AMSS", kind="national_ngo")
    data = {"type": "3", "provider": bid.pk, "receiver": amss.pk, "date": "2025-03-01",
            "amount": "1000", "currency": "USD", "humanitarian": "on"}  # fmt: skip
    response = client.post(reverse("funding:transaction_new"), data)
    assert response.status_code == 200 and not Transaction.objects.exists()
    data["source_document"] = "Communiqué du Groupe de contact de l'OCI, 2025"
    assert client.post(reverse("funding:transaction_new"), data).status_code == 302
    assert Transaction.objects.get().source_document.startswith("Communiqué")
