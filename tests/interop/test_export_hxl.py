"""`kafo export-hxl KIND -o PATH`: HXL files through the disclosure layer, stamped and logged."""

import csv

import pytest
from django.core.management import call_command

from kafo.actors.models import Role
from kafo.security.models import Action, AuditEvent


@pytest.fixture
def accident(mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    return mine_action.accident(editor, longitude=-4.1234, latitude=14.5678)


def _rows(path):
    with open(path, encoding="utf-8-sig") as stream:
        return list(csv.reader(stream))


@pytest.mark.parametrize(
    ("audience", "exact"), [("partners", False), ("national", True)], ids=["partners", "national"]
)
def test_exact_places_only_for_the_national_audience(tmp_path, accident, audience, exact):
    path = tmp_path / "incidents.csv"
    call_command("export_hxl", "incidents", "-o", str(path), "--audience", audience)
    stamp, _header, hashtags, row = _rows(path)
    assert stamp[0].startswith("Exporté de Kafo par kafo export-hxl")
    assert "#geo+lon" in hashtags and row[0] == accident.reference
    assert (row[hashtags.index("#geo+lon")] == "-4.1234") is exact
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="incidents").exists()


def test_the_public_gets_no_incident_file_but_the_reason(tmp_path, accident):
    from django.core.management.base import CommandError

    path = tmp_path / "incidents.csv"
    # Records are partners-only: not an empty file without a hashtag row, but the reason.
    with pytest.raises(CommandError, match="agrégats"):
        call_command("export_hxl", "incidents", "-o", str(path), "--audience", "public")
    assert not path.exists()


def test_a_user_exports_what_they_see(tmp_path, accident, coordinator):
    path = tmp_path / "incidents.csv"
    call_command("export_hxl", "incidents", "-o", str(path), "--user", coordinator.username)
    row = _rows(path)[3]
    assert "-4.1234" in row
    assert _rows(path)[0][0].startswith(f"Exporté de Kafo par {coordinator.username}")


def test_organisations_export_as_hxl(tmp_path, organisation):
    organisation("MAG", name="Mines Advisory Group")
    path = tmp_path / "orgs.csv"
    call_command("export_hxl", "organisations", "-o", str(path))
    assert _rows(path)[2][:2] == ["#org+name", "#org+acronym"]
    assert _rows(path)[3][:2] == ["Mines Advisory Group", "MAG"]
