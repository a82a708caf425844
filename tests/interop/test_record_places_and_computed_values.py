"""A record row's coarser admin levels (#adm1+code, #adm2+name, ...) must agree with the
place its finest p-code names, and a hazard's remaining area, which Kafo computes, must
agree with Kafo's: otherwise the row is refused with the reason, never read halfway."""

import pytest

from kafo.actors.models import Role
from kafo.interop.records import import_hazards, import_incidents

INCIDENTS = (
    "#event+id,#date+occurred,#geo+lon,#geo+lat,#indicator+device,#event+type,"
    "#indicator+activity,#indicator+marked,#adm1+code,#adm1+name,#adm2+code,#adm2+name\n"
)
HAZARDS = (
    "#loc+id,#loc+name,#loc+type,#status,#geo+lon,#geo+lat,#x_area+estimated,"
    "#x_area+remaining,#indicator+evidence+type,#indicator+evidence,"
    "#indicator+contamination\n"
)


@pytest.fixture
def editor(demo_geography, user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


def _incidents(tmp_path, region_code, region_name, cercle_name):
    path = tmp_path / "incidents.csv"
    path.write_text(
        INCIDENTS + f"INC-1,2024-05-01,-4.2,14.5,improvised_mine,civil,travelling_vehicle,non,"
        f"{region_code},{region_name},ML0501,{cercle_name}\n",
        encoding="utf-8",
    )
    return path


def test_levels_that_agree_are_read_and_not_dropped(tmp_path, editor):
    batch = import_incidents(_incidents(tmp_path, "ML05", "Mopti", "MOPTI"), user=editor)
    assert (batch.status, batch.created, batch.dropped) == ("imported", 1, 0), batch.report()


@pytest.mark.parametrize(
    "region_code, region_name, cercle_name, column",
    [("ML01", "Mopti", "Mopti", "#adm1+code"), ("ML05", "Kayes", "Mopti", "#adm1+name"),
     ("ML05", "Mopti", "Djenné", "#adm2+name")],
)  # fmt: skip
def test_a_level_naming_another_place_refuses_the_row(
    tmp_path, editor, region_code, region_name, cercle_name, column
):
    batch = import_incidents(
        _incidents(tmp_path, region_code, region_name, cercle_name), user=editor
    )
    assert (batch.status, batch.created) == ("rejected", 0)
    errors = batch.report()["errors"]
    assert len(errors) == 1 and column in errors[0]["column"]
    assert "ML0501" in errors[0]["reason"]


def _hazards(tmp_path, remaining):
    path = tmp_path / "hazards.csv"
    path.write_text(
        HAZARDS + f"Z-1,Puits,sha,open,-4.2,14.5,5000,{remaining},indirect,combat_zone,"
        "improvised_mine\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("remaining, status", [("5000", "imported"), ("", "imported"),
                                               ("3000", "rejected")])  # fmt: skip
def test_a_remaining_area_other_than_kafo_s_is_refused(tmp_path, editor, remaining, status):
    batch = import_hazards(_hazards(tmp_path, remaining), user=editor)
    assert (batch.status, batch.dropped) == (status, 0), batch.report()
    if status == "rejected":
        (error,) = batch.report()["errors"]
        assert "#x_area+remaining" in error["column"] and "5000" in error["reason"]
