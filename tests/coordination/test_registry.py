"""The registry is the one rule of the three front-ends: each analysis answers with the
keys it declares, and the page, the API and `kafo analyse` take the same options,
refuse the same values and give the same answer."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kafo.actors.models import Role
from kafo.coordination.registry import ANALYSES, EVERYONE

pytestmark = pytest.mark.django_db

# Values each front-end must refuse, with the option's own reason.
REFUSED = {"level": "9", "start": "hier", "end": "2025-13-01", "threshold": "2",
           "by": "organisation", "radius": "0", "top": "0", "framework": "x"}  # fmt: skip


@pytest.fixture
def coordination(client, coordinator):
    client.force_login(coordinator)
    return client


def _cli(name: str, **options) -> str:
    out = StringIO()
    args: list[str] = []
    for option in ANALYSES[name].options:
        if option.name in options:
            args += [option.argument, str(options[option.name])]
    call_command("analyse", name, *args, "--format", "json", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_each_analysis_answers_with_its_keys(demo_loaded, coordination):
    for name, analysis in ANALYSES.items():
        answer = coordination.get(reverse("api:analysis-detail", args=[name])).json()
        assert set(answer) == {*analysis.keys, "paging"}, name  # the API pages its lists


def test_the_api_and_the_command_give_the_same_answer(demo_loaded, coordination):
    for name in ANALYSES:
        options = {"level": 2} if any(o.name == "level" for o in ANALYSES[name].options) else {}
        by_api = coordination.get(reverse("api:analysis-detail", args=[name]), options).json()
        assert by_api.pop("paging")["next"] is None, name  # the demo's answers: one page
        by_command = json.loads(_cli(name, **options))
        assert by_api == json.loads(json.dumps(by_command)), name


def test_the_three_front_ends_refuse_the_same_values(demo_loaded, coordination):
    for name, analysis in ANALYSES.items():
        for option in analysis.options:
            if option.name not in REFUSED:
                continue
            value = REFUSED[option.name]
            api = coordination.get(reverse("api:analysis-detail", args=[name]),
                                   {option.name: value})  # fmt: skip
            page = coordination.get(reverse(analysis.page), {option.name: value})
            assert api.status_code == 400 and page.status_code == 400, (name, option.name)
            # The option's reason (dates are refused before the view, the option named).
            [[reason]] = api.json().values()
            assert reason in page.content.decode(), (name, option.name)
            with pytest.raises(CommandError) as refused:
                _cli(name, **{option.name: value})
            assert str(refused.value) in reason, (name, option.name)


def test_donors_see_the_analyses_for_everyone_only(demo_loaded, client, user_with_role):
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    for name, analysis in ANALYSES.items():
        expected = 200 if analysis.audience == EVERYONE else 403
        api = client.get(reverse("api:analysis-detail", args=[name]))
        page = client.get(reverse(analysis.page))
        assert (api.status_code, page.status_code) == (expected, expected), name


def test_an_option_the_analysis_does_not_take_is_refused_by_the_command(demo_loaded):
    with pytest.raises(CommandError, match="--top"):
        call_command("analyse", "gaps", "--top", "3", stdout=StringIO())


def test_the_tabs_and_the_menu_follow_the_registry(demo_loaded, client, user_with_role):
    for role, sees_records in ((Role.DONOR_VIEWER, False), (Role.PARTNER_VIEWER, True)):
        client.force_login(user_with_role(role))
        page = client.get(reverse("gaps")).content.decode()
        for name, analysis in ANALYSES.items():
            shown = analysis.audience == EVERYONE or sees_records
            assert (f'href="{reverse(analysis.page)}"' in page) == shown, (role, name)
