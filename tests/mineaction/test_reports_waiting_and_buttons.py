""" "Field reports waiting for a step" opens the reports waiting for the user's own step,
not all of them; buttons a role cannot use are not shown."""

from kafo.actors.models import Role
from kafo.mineaction import reports
from kafo.mineaction.models import FieldReport


def _references(client, query=""):
    page = client.get(f"/mineaction/reports/{query}").content.decode()
    return {r.reference for r in FieldReport.objects.all() if r.reference in page}


def test_waiting_reports_are_those_of_the_user_s_step(client, mine_action, coordinator,
                                                      user_with_role, organisation):  # fmt: skip
    hi = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    drc = user_with_role(Role.PARTNER_EDITOR, organisation("DRC"))
    done = mine_action.report("accident", hi, {**_accident()}).reference  # validated
    mine_hi = mine_action.report("accident", hi, _accident(), validate=False)
    mine_drc = mine_action.report("accident", drc, _accident(), validate=False)
    verified = mine_action.report("accident", drc, _accident(), validate=False)
    reports.verify(verified, drc)
    client.force_login(hi)
    assert _references(client, "?status=waiting") == {mine_hi.reference}
    client.force_login(coordinator)
    waiting = _references(client, "?status=waiting")
    assert waiting == {mine_hi.reference, mine_drc.reference, verified.reference}
    assert done not in waiting


def _accident():
    from tests.conftest import RECORD_DEFAULTS

    return dict(RECORD_DEFAULTS["accident"])


def test_the_mine_action_page_links_to_the_waiting_reports(client, coordinator, demo_geography):
    client.force_login(coordinator)
    assert "/mineaction/reports/?status=waiting" in client.get("/mineaction/").content.decode()


def test_a_viewer_gets_no_report_buttons_nor_a_donor_an_import_button(client, user_with_role,
                                                                      organisation):  # fmt: skip
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    page = client.get("/mineaction/reports/").content.decode()
    assert "Déclarer un accident" not in page
    client.force_login(user_with_role(Role.DONOR_VIEWER, organisation("ECHO", "donor")))
    page = client.get("/response/needs/").content.decode()
    assert "?kind=needs" not in page


def test_an_editor_and_the_coordination_get_them(client, user_with_role, coordinator):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    assert "Déclarer un accident" in client.get("/mineaction/reports/").content.decode()
    client.force_login(coordinator)
    assert "?kind=needs" in client.get("/response/needs/").content.decode()
