"""The local capacity indicators, each checked against figures counted by hand from the
records made here: accredited operators per activity, tasks, funding as first received,
national standards, the Article 7 report's date, and coordination roles."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kafo.actors.models import Accreditation, Role
from kafo.funding.models import Transaction
from kafo.library.models import LibraryItem
from kafo.meetings.models import Attendance, CoordinationBody, Meeting
from kafo.reports.capacity import capacity_indicators
from kafo.reports.models import TreatyReport

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def country(mine_action, organisation, user_with_role, coordinator):
    amss = organisation("AMSS", kind="national_ngo")  # national
    mag = organisation("MAG")  # international
    red_cross = organisation("CRM", kind="red_cross")  # unknown until its category is set
    on = datetime.date(YEAR, 6, 1)
    for org, activity in ((amss, "EORE"), (mag, "EORE"), (mag, "CLR"), (amss, "NTS")):
        Accreditation.objects.create(organisation=org, activity=activity, issued="2023-01-01")
    Accreditation.objects.create(organisation=amss, activity="CLR", issued="2023-01-01",
                                 status="suspended")  # fmt: skip
    amss_editor = user_with_role(Role.PARTNER_EDITOR, amss)
    mag_editor = user_with_role(Role.PARTNER_EDITOR, mag)
    crm_editor = user_with_role(Role.PARTNER_EDITOR, red_cross)
    hazard = mine_action.hazard(mag_editor)
    mine_action.activity(mag_editor, hazard, start_date="2024-02-01", end_date="2024-02-10")
    for editor in (amss_editor, amss_editor, crm_editor):
        mine_action.eore(editor, date="2024-03-01")
    mine_action.eore(amss_editor, date="2023-03-01")  # another year
    echo = organisation("ECHO", kind="donor")

    def flow(receiver, amount, rate="1", kind="3", date=on):
        return Transaction.objects.create(
            type=kind, provider=echo, receiver=receiver, amount=Decimal(amount), currency="USD",
            date=date, rate_to_usd=None if rate is None else Decimal(rate),
        )  # fmt: skip

    flow(amss, "300000")
    flow(mag, "900000")
    flow(red_cross, "50000")
    flow(amss, "1000", rate=None)  # its conversion waits
    flow(amss, "777777", kind="2")  # a commitment: not money received
    LibraryItem.objects.create(title="NNLAM dépollution", item_type="nmas",
                               imas_reference="NNLAM 09.10", confidentiality=0)  # fmt: skip
    LibraryItem.objects.create(title="Ancienne", item_type="nmas", status="superseded",
                               confidentiality=0)  # fmt: skip
    TreatyReport.objects.create(
        treaty="apmbc", year=YEAR - 1, status="submitted",
        submitted_at=timezone.make_aware(datetime.datetime(YEAR, 4, 28, 12)),
    )  # fmt: skip
    body = CoordinationBody.objects.create(name="GT", kind="working_group", lead=amss)
    body.co_leads.set([mag, red_cross])
    start = timezone.make_aware(datetime.datetime(YEAR, 5, 2, 9))
    meeting = Meeting.objects.create(body=body, title="R", starts_at=start, ends_at=start)
    for name, org in (("A", amss), ("B", amss), ("C", mag), ("D", None)):
        Attendance.objects.create(meeting=meeting, name=name, organisation=org)
    return {"amss": amss, "mag": mag}


def test_each_indicator_as_counted_by_hand(country):
    found = capacity_indicators(YEAR, datetime.date(2026, 1, 1))
    by_activity = {row["activity"]: row for row in found["accredited"]}
    assert (by_activity["EORE"]["accredited"], by_activity["EORE"]["national_or_local"]) == (2, 1)
    assert (by_activity["CLR"]["accredited"], by_activity["CLR"]["national_or_local"]) == (1, 0)
    assert by_activity["NTS"]["names"] == ["AMSS"]
    tasks = found["tasks"]  # MAG's clearance, two AMSS sessions, one by the Red Cross
    assert (tasks.national_or_local, tasks.known, tasks.unknown) == (2, 3, 1)
    money = found["funding"]["totals"]  # ECHO pays each directly: AMSS is national
    assert money.total == Decimal("1250000.00") and money.unknown_receiver == Decimal("50000.00")
    assert money.local["0"] == Decimal("300000.00") and money.local_total == Decimal("300000.00")
    assert money.share(money.as_directly_as_possible) == 0.24
    assert found["funding"]["pending"] == 1
    assert [item.title for item in found["standards"]] == ["NNLAM dépollution"]
    assert found["article7"] == {
        "covers": YEAR - 1, "due": datetime.date(YEAR, 4, 30),
        "submitted": datetime.date(YEAR, 4, 28), "on_time": True,
    }  # fmt: skip
    leads = found["leads"]  # AMSS leads; MAG and the Red Cross (unknown) co-lead
    assert (leads.national_or_local, leads.known, leads.unknown) == (1, 2, 1)
    people = found["attendance"]
    assert (people.national_or_local, people.known, people.unknown) == (2, 3, 1)


def test_a_report_filed_after_30_april_is_late(country):
    TreatyReport.objects.update(submitted_at=timezone.make_aware(
        datetime.datetime(YEAR, 5, 2, 12)))  # fmt: skip
    assert capacity_indicators(YEAR, datetime.date(2026, 1, 1))["article7"]["on_time"] is False


def test_the_page(client, country, user_with_role):
    client.force_login(user_with_role(Role.DONOR_VIEWER))  # aggregates: donors too
    page = client.get(reverse("reports:capacity"), {"year": YEAR}).content.decode()
    assert "25 %" in page and "AMSS" in page and "NNLAM 09.10" in page


def test_it_checks_access(plain_client):
    response = plain_client.get(reverse("reports:capacity"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
