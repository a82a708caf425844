"""A tagged budget in a currency without an exchange rate is left out of the strategy's
USD total and counted as such on the page, never dropped without a word."""

from decimal import Decimal

from kafo.response.models import Activity, ActivityObjective, Indicator
from kafo.response.strategies.progress import PENDING_BUDGETS, achievements


def _tagged(editor, target, currency, budget):
    activity = Activity.objects.create(
        organisation=editor.membership.organisation, title="EER", sector="PRO-MIN",
        activity_type="EORE", budget=Decimal(budget), currency=currency,
    )  # fmt: skip
    ActivityObjective.objects.create(activity=activity, objective=target, percentage=100)


def test_a_budget_without_a_rate_is_counted_as_pending(client, editor, strategy):
    framework, _pillar, target, _other = strategy
    Indicator.objects.create(objective=target, name="Budget", measure="budget_usd",
                             target=Decimal(100000))  # fmt: skip
    _tagged(editor, target, "USD", "20000")
    _tagged(editor, target, "GHS", "5000")  # no rate for the cedi
    achieved = achievements(framework)
    assert achieved[target.pk]["budget_usd"] == Decimal(20000)
    assert achieved[target.pk][PENDING_BUDGETS] == 1
    client.force_login(editor)
    page = client.get(framework.get_absolute_url())
    assert "(+ 1 budget sans taux de change)" in page.content.decode()
