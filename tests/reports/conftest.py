import datetime
from decimal import Decimal

import pytest


@pytest.fixture
def planted(mine_action, coordinator, user_with_role, organisation):
    """Validated records of 2024 a report should find, and some it must leave out."""
    from kafo.actors.models import Role
    from kafo.funding.models import Transaction
    from kafo.response.models import Activity

    hi = organisation("HI")
    editor = user_with_role(Role.PARTNER_EDITOR, hi)
    mined = mine_action.hazard(editor, name="Champ de Sévaré",
                               estimated_area_m2=20_000)  # fmt: skip
    confirmed = mine_action.hazard(editor, classification="cha", contamination=["ap_mine"],
                                   estimated_area_m2=4_000)  # fmt: skip
    erw_only = mine_action.hazard(editor, contamination=["erw_uxo"], estimated_area_m2=999)
    cluster = mine_action.hazard(editor, contamination=["cluster_munition"],
                                 estimated_area_m2=7_000)  # fmt: skip
    indication = mine_action.hazard(editor, classification="indication")
    survey = mine_action.activity(editor, mined, area_cancelled_m2=7_655)
    clearance = mine_action.activity(editor, confirmed, type="clearance",
                                     start_date="2024-03-01", end_date="2024-09-30",
                                     area_cancelled_m2=0, area_cleared_m2=3_000)  # fmt: skip
    later = mine_action.activity(editor, cluster, start_date="2025-02-01",
                                 end_date="2025-02-10", area_cancelled_m2=7_000)  # fmt: skip
    mine_action.device(editor, survey, quantity=2)
    mine_action.device(editor, clearance, category="ap_mine", quantity=5,
                       destruction_method="removed")  # fmt: skip
    mine_action.device(editor, clearance, category="erw_uxo", quantity=3)
    mine_action.device(editor, clearance, category="ap_mine", quantity=1,
                       destruction_method="handed_over")  # fmt: skip
    mine_action.device(editor, later, category="cluster_munition", quantity=9)
    mine_action.eore(editor)
    mine_action.eore(editor, method="mass_media", women=100, men=0, girls_5_12=0,
                     boys_5_12=0)  # fmt: skip
    mine_action.eore(editor, date="2023-12-31", women=1000)  # another year
    accident = mine_action.accident(editor)
    victim = mine_action.victim(editor, accident, name="Awa Traoré", phone="+22370000000")
    mine_action.victim(editor, accident, outcome="killed", sex="male", age=40)
    mine_action.assistance(editor, victim)
    mine_action.assistance(editor, victim, service="psychological", referral_status="declined")
    echo = organisation("ECHO")
    eore = Activity.objects.create(organisation=hi, title="EER", sector="PRO-MIN",
                                   activity_type="EORE")  # fmt: skip
    clearing = Activity.objects.create(organisation=hi, title="Dépollution", sector="PRO-MIN",
                                       activity_type="CLR")  # fmt: skip
    health = Activity.objects.create(organisation=hi, title="Santé", sector="SAN")

    def flow(activity, amount, rate=Decimal(1), day=datetime.date(2024, 4, 1), **values):
        return Transaction.objects.create(
            type="3", provider=echo, receiver=hi, activity=activity, date=day,
            amount=Decimal(amount), currency="EUR", rate_to_usd=rate,
            rate_to_xof=None if rate is None else Decimal(655),
            rate_date=None if rate is None else day, rate_source="t", **values,
        )  # fmt: skip

    flows = [flow(eore, 1000, Decimal("1.1")), flow(clearing, 2000, Decimal("1.1")),
             flow(clearing, 500, Decimal("1.1"), country_share=Decimal("0.5")),
             flow(clearing, 700, None), flow(health, 9999, Decimal("1.1")),
             flow(eore, 8888, Decimal("1.1"), day=datetime.date(2023, 6, 1))]  # fmt: skip
    return {"mined": mined, "confirmed": confirmed, "erw_only": erw_only, "cluster": cluster,
            "indication": indication, "survey": survey, "clearance": clearance,
            "later": later, "flows": flows, "victim": victim}  # fmt: skip
