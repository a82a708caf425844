"""The joint plans read the accreditation register: a shared team is planned only in the
months its organisation is accredited for its work (active, issued, not expired); a
suspended or withdrawn accreditation, or one for other work, plans nothing."""

import datetime

import pytest

from kafo.actors.models import Accreditation
from kafo.coordination.plans import shared_teams
from kafo.geo.models import AdminUnit
from kafo.geo.tree import UnitTree
from kafo.response.models import Availability, Resource

START = datetime.date(2030, 1, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def team(demo_geography, organisation):
    hi = organisation("HI")
    resource = Resource.objects.create(
        organisation=hi, kind="clearance_team", name="Dépollution",
        base=AdminUnit.objects.get(pcode="ML0501"), offered=True,
    )  # fmt: skip
    Availability.objects.create(resource=resource, start=START, end=datetime.date(2030, 12, 31))
    return resource


def _months(team) -> list[int]:
    lookup = {"tasks": {}, "resources": {}}
    teams, availability = shared_teams(START, 4, UnitTree(), lookup)
    assert [t["id"] for t in teams] in ([], [str(team.pk)])
    return sorted(a["period"] for a in availability if a["resource"] == str(team.pk))


def _accredit(team, **values):
    values = {"activity": "CLR", "issued": datetime.date(2029, 1, 1), **values}
    return Accreditation.objects.create(organisation=team.organisation, **values)


def test_a_team_of_an_organisation_not_in_the_register_is_not_planned(team):
    assert _months(team) == []
    _accredit(team, activity="EORE")  # accredited, but for other work
    assert _months(team) == []


def test_accredited_months_only(team):
    _accredit(team, expires=datetime.date(2030, 2, 15))  # valid on 1 January and 1 February
    assert _months(team) == [0, 1]
    _accredit(team, issued=datetime.date(2030, 3, 10))  # a new one from 10 March: April
    assert _months(team) == [0, 1, 3]


@pytest.mark.parametrize("status", ["suspended", "withdrawn"])
def test_a_suspended_or_withdrawn_accreditation_plans_nothing(team, status):
    _accredit(team, status=status)
    assert _months(team) == []
