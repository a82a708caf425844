"""The situation page's charts, read back by lxml from the page: casualties per month
(killed and injured for those who see records; for the public, each month's total with
counts from 1 to 4 hidden, never their number), per region, land release, risk education
and funding, whose bars say the same figures as an independent sum of the records."""

import datetime
from decimal import Decimal

from django.urls import reverse
from lxml import html

from kafo.actors.models import Role


def _tooltips(page: bytes) -> dict[str, list[str]]:
    """Each chart's title → the tooltips of its bars."""
    tree = html.fromstring(page)
    charts = {}
    for svg in tree.xpath("//figure[@class='chart']/*[local-name()='svg']"):
        title = svg.xpath("./*[local-name()='title']")[0].text
        shapes = ".//*[local-name()='rect' or local-name()='path']/*[local-name()='title']"
        charts[title] = [t.text for t in svg.xpath(shapes)]
    return charts


def _planted(mine_action, user_with_role, organisation):
    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    accident = mine_action.accident(editor, date="2024-05-01")
    for _n in range(2):
        mine_action.victim(editor, accident)
    mine_action.victim(editor, accident, outcome="killed", sex="male")
    later = mine_action.accident(editor, date="2024-06-03")
    for _n in range(6):
        mine_action.victim(editor, later, outcome="killed")
    return editor


def test_the_coordination_sees_exact_counts(client, mine_action, user_with_role, organisation,
                                            coordinator):  # fmt: skip
    _planted(mine_action, user_with_role, organisation)
    client.force_login(coordinator)
    charts = _tooltips(client.get(reverse("situation") + "?year=2024").content)
    months = charts["Victimes par mois"]
    assert "mai 2024 · Blessé\u202f: 2" in months and "mai 2024 · Tué\u202f: 1" in months
    assert "juin 2024 · Tué\u202f: 6" in months
    assert "Mopti\u202f: 9" in charts["Victimes par unité administrative"]


def test_the_public_sees_small_counts_hidden(client, mine_action, user_with_role, organisation):
    _planted(mine_action, user_with_role, organisation)
    page = client.get(reverse("situation") + "?year=2024").content
    months = _tooltips(page)["Victimes par mois"]
    # May's 3 is hidden; June's 6 alone would then give it away by the year's total: the
    # next smallest month is hidden too (≥5), as in the tables.
    assert "mai 2024 · Victimes\u202f: <5" in months
    assert "juin 2024 · Victimes\u202f: ≥5" in months
    assert not any(t.endswith((": 3", ": 6", ": 1", ": 2")) for t in months)
    assert "Mopti\u202f: 9" in _tooltips(page)["Victimes par unité administrative"]


def test_funding_per_year_as_an_independent_sum(client, demo_geography, organisation):
    from kafo.funding.models import Transaction

    echo, hi = organisation("ECHO"), organisation("HI")
    flows = [("13", 1000, "1.1", 2024), ("11", 400, "1.1", 2024), ("3", 250, "1.2", 2025),
             ("3", 999, None, 2025)]  # fmt: skip
    for kind, amount, rate, year in flows:
        Transaction.objects.create(
            type=kind, provider=echo, receiver=hi, date=datetime.date(year, 3, 1),
            amount=Decimal(amount), currency="EUR",
            rate_to_usd=None if rate is None else Decimal(rate),
            rate_to_xof=None if rate is None else Decimal(655),
        )  # fmt: skip
    page = client.get(reverse("situation")).content
    bars = _tooltips(page)["Financements par année (USD)"]
    assert bars == ["2024 · Annoncé\u202f: 1\xa0100", "2024 · Engagé\u202f: 440",
                    "2025 · Décaissé\u202f: 300"]  # fmt: skip
    assert "1 flux attendent un taux de change" in page.decode()
