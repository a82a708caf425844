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
