"""A number no column can hold (infinite, not a number, past the column's digits) is
refused with the reason, from a file or a form, on every database: one imported value
never breaks the 5W for everyone."""

import pytest

from kafo.interop.activities import import_activities
from kafo.response.models import Activity
from tests.response.conftest import ACTIVITY

HEADER = "#org+impl,#sector,#activity+name,#adm2+code,#value,#currency\n"


@pytest.mark.parametrize("value", ["Infinity", "-inf", "NaN", "1e400", "1e20",
                                   "99999999999999999999"])  # fmt: skip
def test_a_5w_budget_that_cannot_be_stored_is_refused(tmp_path, demo_geography, organisation,
                                                      value):  # fmt: skip
    organisation("HI", name="Humanité & Inclusion")
    path = tmp_path / "5w.csv"
    path.write_text(HEADER + f"Humanité & Inclusion,HEA,Cliniques,ML0501,{value},XOF\n",
                    encoding="utf-8")  # fmt: skip
    batch = import_activities(path)
    assert batch.status == "rejected" and not Activity.objects.exists(), batch.report()
    (error,) = batch.report()["errors"]
    assert "#value" in error["column"]


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e400", "1e20"])
def test_a_form_budget_that_cannot_be_stored_is_refused(client, user_with_role, demo_geography,
                                                       value):  # fmt: skip
    from kafo.actors.models import Role

    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    response = client.post("/response/activities/new/", {**ACTIVITY, "budget": value})
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "budget" in response.context["form"].errors


PAGES = ["/response/activities/", "/response/activities/export/", "/response/activities.geojson",
         "/response/", "/api/v1/activities/", "/funding/", "/analysis/gaps/"]  # fmt: skip


def test_the_largest_values_a_column_holds_break_no_page(client, coordinator, demo_geography):
    from decimal import Decimal

    from rest_framework.test import APIClient

    from kafo.geo.models import AdminUnit

    activity = Activity.objects.create(
        organisation=coordinator.membership.organisation, title="T" * 1000, sector="HEA",
        budget=Decimal("9999999999999.99"), currency="XOF",
        **{f"reached_{g}": 2_147_483_647 for g in ("girls", "boys", "women", "men")},
    )  # fmt: skip
    activity.locations.set(AdminUnit.objects.active().filter(pcode="ML0501"))
    client.force_login(coordinator)
    api = APIClient()
    api.force_authenticate(coordinator)
    for url in PAGES:
        response = (api if url.startswith("/api/") else client).get(url)
        assert response.status_code == 200, url
