"""What a form or a filter sends back is never localised: a year is "2024" (not "2 024"),
a date input holds an ISO date, a number input "5.0" (not "5,0"), an id "1234". Only
what is displayed is in the user's language."""

import datetime
import re

import pytest
from django.utils import translation

from kafo.mineaction.forms import ReportHeaderForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_date_input_renders_an_iso_date(language):
    with translation.override(language):
        html = str(ReportHeaderForm(initial={"date_of_information": datetime.date(2026, 12, 1)}))
    assert 'value="2026-12-01"' in html


@pytest.mark.parametrize("typed", ["2026-12-01", "01/12/2026"])
def test_a_french_date_typed_by_hand_is_still_read(typed):
    with translation.override("fr"):
        form = ReportHeaderForm(data={"date_of_information": typed})
        assert form.is_valid() and form.cleaned_data["date_of_information"].month == 12


def test_year_options_filter_the_situation(client, mine_action, user_with_role):
    from kafo.actors.models import Role

    editor = user_with_role(Role.PARTNER_EDITOR)
    mine_action.victim(editor, mine_action.accident(editor))
    client.force_login(user_with_role(Role.COORDINATOR))
    page = client.get("/situation/").content.decode()
    years = re.findall(
        r'<option value="([^"]+)"', page.split('name="year"')[1].split("</select>")[0]
    )
    assert "2024" in years and all(y.isdigit() for y in years if y)
    assert ">2024<" in page  # the option's text too


def test_the_duplicates_radius_is_a_number_a_browser_reads(client, coordinator, demo_geography):
    client.force_login(coordinator)
    page = client.get("/analysis/duplicates/").content.decode()
    value = re.search(r'name="radius" value="([^"]*)"', page).group(1)
    assert float(value) > 0 and "," not in value


def test_ids_over_a_thousand_are_not_grouped(client, coordinator, demo_geography):
    from kafo.actors.models import Organisation
    from kafo.response.models import Activity

    org = Organisation.objects.create(id=123456, name="Grande organisation", type="donor")
    Activity.objects.create(organisation=org, title="Projet", sector="HEA")
    client.force_login(coordinator)
    page = client.get("/response/activities/").content.decode()
    assert 'value="123456"' in page
