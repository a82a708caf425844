"""The official figures reconcile with the validated records, and only with them."""

from kafo.actors.models import Role
from kafo.mineaction import figures
from kafo.mineaction.models import RecordKind, Victim


def test_casualties_count_validated_victims_by_year_sex_age_and_status(mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    accident_2021 = mine_action.accident(editor, date="2021-06-01")
    accident_2022 = mine_action.accident(editor, date="2022-02-01", longitude=-0.05, latitude=16.27)
    mine_action.victim(editor, accident_2021, outcome="killed", sex="male", age=9)
    mine_action.victim(editor, accident_2021, outcome="injured", sex="female", age=30)
    mine_action.victim(
        editor, accident_2022, outcome="injured", sex="male", status="military", age=""
    )
    # a submitted but not validated victim is not official
    mine_action.report(
        RecordKind.VICTIM, editor,
        {"accident": accident_2021.reference, "outcome": "killed", "sex": "male"},
        validate=False,
    )  # fmt: skip
    result = figures.casualties()
    assert result["2021"] == {
        "total": 2, "killed": 1, "injured": 1,
        "sex": {"male": 1, "female": 1}, "age": {"child": 1, "adult": 1},
        "status": {"civilian": 2},
    }  # fmt: skip
    assert result["2022"]["status"] == {"military": 1} and result["2022"]["age"] == {"unknown": 1}
    assert sum(year["total"] for year in result.values()) == Victim.objects.count() == 3
    assert figures.casualties(pcode="ML05") == {"2021": result["2021"]}  # Mopti only
    assert figures.casualties(year=2022) == {"2022": result["2022"]}


def test_every_official_figure_reconciles_with_the_validated_records(mine_action, user_with_role):
    import json

    from django.core.management import call_command

    from tests.conftest import square

    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor, estimated_area_m2=100_000)
    mine_action.hazard(  # a closed hazard counts for nothing remaining
        editor, estimated_area_m2=40_000, status="closed",
        geometry=json.dumps(square(-4.1, 14.3, 0.01)),
    )  # fmt: skip
    mine_action.activity(
        editor, hazard, start_date="2023-02-01", end_date="2023-03-01", area_cancelled_m2=10_000
    )
    mine_action.activity(editor, hazard, type="clearance", start_date="2024-01-05",
                         end_date="", area_cancelled_m2=0, area_cleared_m2=5_000)  # fmt: skip
    mine_action.eore(editor, date="2024-03-01")
    victim = mine_action.victim(editor, mine_action.accident(editor))
    mine_action.assistance(editor, victim)
    mine_action.assistance(editor, victim, service="psychological", referral_status="referred")
    result = figures.official_figures()
    assert result["remaining_area_m2"] == 85_000
    assert result["released_area_m2"] == {
        "2023": {"cancelled": 10_000, "reduced": 0, "cleared": 0, "total": 10_000},
        "2024": {"cancelled": 0, "reduced": 0, "cleared": 5_000, "total": 5_000},
    }
    assert result["eore_beneficiaries"]["2024"]["total"] == 90
    assert result["eore_beneficiaries"]["2024"]["girls"] == 20
    assert result["assistance"] == {"2024": {"total": 1, "services": {"rehabilitation": 1}}}
    assert figures.official_figures(pcode="ML01")["remaining_area_m2"] == 0  # Kayes: none

    from io import StringIO

    out = StringIO()
    call_command("figures", "--json", "--year", "2024", stdout=out)
    printed = json.loads(out.getvalue())
    assert set(printed) >= {"remaining_area_m2", "released_area_m2", "casualties",
                            "eore_beneficiaries", "assistance"}  # fmt: skip
    assert printed["released_area_m2"] == {"2024": result["released_area_m2"]["2024"]}
