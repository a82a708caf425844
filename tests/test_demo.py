import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from kafo.actors.demo import DEMO_PASSWORD, USERS
from kafo.actors.models import Membership, Organisation, Role
from kafo.geo.models import AdminUnit, CodVersion

pytestmark = pytest.mark.django_db


def test_the_demo_loads_mali_organisations_and_one_user_per_role(capsys):
    call_command("demo")
    version = CodVersion.objects.get()
    assert version.is_demo and version.is_active and version.country == "MLI"
    assert AdminUnit.objects.filter(level=1).count() == 9
    assert AdminUnit.objects.filter(level=2).count() == 50
    assert AdminUnit.objects.get(pcode="ML0101").name == "Kayes"
    assert {m.role for m in Membership.objects.all()} == set(Role)
    for username, _, _ in USERS:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None
    assert Organisation.objects.get(acronym="HI").alt_names[0] == "Handicap International"
    assert "coordination" in capsys.readouterr().out


def test_the_demo_is_deterministic_and_safe_to_run_twice():
    call_command("demo")
    first = list(
        AdminUnit.objects.order_by("pcode").values_list("pcode", "display_geojson", "area_km2")
    )
    organisations = Organisation.objects.count()
    call_command("demo")
    assert (
        list(
            AdminUnit.objects.order_by("pcode").values_list("pcode", "display_geojson", "area_km2")
        )
        == first
    )
    assert Organisation.objects.count() == organisations


def test_if_empty_leaves_existing_data_alone(organisation, capsys):
    organisation("XYZ")
    call_command("demo", "--if-empty")
    assert CodVersion.objects.count() == 0
    assert "démo non chargée" in capsys.readouterr().out
