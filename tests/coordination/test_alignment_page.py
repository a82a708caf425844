"""The alignment page: shares aligned, pillars against targets, unaligned funding."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.funding.models import Transaction
from kafo.response.models import Activity, ActivityObjective, Framework, Indicator, Objective


@pytest.fixture
def planted(organisation):
    authority, echo, hi = organisation("CNLPAL"), organisation("ECHO"), organisation("HI")
    strategy = Framework.objects.create(owner=authority, kind="mine_action_strategy",
                                        name="SNLAM", start_year=2024, end_year=2028)  # fmt: skip
    pillar = Objective.objects.create(framework=strategy, level="pillar", code="P1",
                                      title="Éducation aux risques")  # fmt: skip
    Indicator.objects.create(objective=pillar, name="budget", measure="budget_usd",
                             target=Decimal(2000))  # fmt: skip
    activity = Activity.objects.create(organisation=hi, title="EER", sector="PRO-MIN",
                                       activity_type="EORE")  # fmt: skip
    ActivityObjective.objects.create(activity=activity, objective=pillar, percentage=100)
    flow = Transaction.objects.create(
        type="2", provider=echo, receiver=hi, date=datetime.date(2025, 2, 1),
        amount=Decimal(750), currency="USD", rate_to_usd=Decimal(1), rate_to_xof=Decimal(600),
        rate_date=datetime.date(2025, 2, 1), rate_source="t", description="Non alignée",
    )  # fmt: skip
    return strategy, flow


def test_it_checks_access(plain_client, planted):
    assert plain_client.get(reverse("alignment")).status_code == 302


def test_shares_pillars_and_unaligned_funding(client, planted, user_with_role):
    _strategy, flow = planted
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    page = client.get(reverse("alignment")).content.decode()
    assert "SNLAM" in page and "P1 · Éducation aux risques" in page
    assert "100 %" in page  # the one activity is aligned
    assert reverse("funding:transaction", args=[flow.pk]) in page and "Non alignée" in page


def test_a_flow_waiting_for_a_rate_is_counted_not_summed(client, planted, user_with_role):
    _strategy, flow = planted
    Transaction.objects.create(type="3", provider=flow.provider, receiver=flow.receiver,
                               date=datetime.date(2025, 3, 1), amount=Decimal(900),
                               currency="GBP")  # fmt: skip
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    page = client.get(reverse("alignment")).content.decode()
    assert "1 transaction attend un taux de change" in page
    assert "en attente d’un taux" in page


def test_without_strategy_the_page_says_so(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert "Aucune stratégie" in client.get(reverse("alignment")).content.decode()
