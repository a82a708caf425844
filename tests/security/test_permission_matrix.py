"""Every URL × every role × a record of one's own organisation or of another.

Generated from the URL configuration: a view without a rule below fails the suite,
so nobody adds a page without deciding who may open it.
"""

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from tests.conftest import SecondFactorClient
from tests.urlconf import routes

OK, DENIED, LOGIN, NOT_ALLOWED = "ok", "denied", "login", "not allowed"
ANON, COORD, EDITOR, VIEWER, DONOR = (
    None, Role.COORDINATOR, Role.PARTNER_EDITOR, Role.PARTNER_VIEWER, Role.DONOR_VIEWER,
)  # fmt: skip
ROLES = [ANON, COORD, EDITOR, VIEWER, DONOR]


def everyone(outcome: str) -> dict:
    return dict.fromkeys(ROLES, (outcome, outcome))


def members(outcome: str, **overrides) -> dict:
    """Logged-in users get `outcome` (own, other), unless overridden; visitors log in."""
    rule = {role: (outcome, outcome) for role in ROLES if role}
    rule[ANON] = (LOGIN, LOGIN)
    for role, value in overrides.items():
        rule[Role(role)] = value if isinstance(value, tuple) else (value, value)
    return rule


RECORDS = members(OK, donor_viewer=DENIED)  # partners read every partner's records
EDITORS = members(DENIED, coordinator=OK, partner_editor=OK)
OWN_EDITORS = members(DENIED, coordinator=OK, partner_editor=(OK, DENIED))
API_READ = [f"api:{kind}-{view}" for kind in ("activity", "need", "organisation", "transaction")
            for view in ("list", "detail")]  # fmt: skip
API_RECORDS = [f"api:record-{kind}-{view}" for kind in
               ("hazard", "activity", "device", "accident", "victim", "eore", "assistance",
                "quality") for view in ("list", "detail")]  # fmt: skip
RULES: dict[str, dict] = {
    "home": members(OK),
    "health": everyone(OK),
    "service_worker": everyone(OK),
    "offline": everyone(OK),
    "situation": everyone(OK),
    "set_language": everyone(OK),
    "login": everyone(OK),
    "logout": members(NOT_ALLOWED),  # POST only
    "second_factor": members(OK),
    "second_factor_setup": members(OK),
    "account_security": members(OK),
    # An export written by a task: its owner's alone (here the editor's); not even its
    # existence is told to anyone else.
    **{
        name: members("404", partner_editor=(OK, "404"))
        for name in ("export_file", "export_progress", "export_download")
    },
    "personal_data": members(DENIED, coordinator=OK),
    "personal_data_export": members(DENIED, coordinator=OK),
    "personal_data_anonymise": members(NOT_ALLOWED),  # POST only; see POST_RULES
    "geo:index": members(OK),
    "geo:units_geojson": members(OK),
    "geo:unit": members(OK),
    "actors:list": members(OK),
    "actors:export": members(OK),
    "actors:organisation": members(OK),
    "actors:create": members(DENIED, coordinator=OK),
    "actors:edit": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "mineaction:index": RECORDS,
    "mineaction:list": RECORDS,  # every kind of record, see KIND_ROUTES
    "mineaction:export": RECORDS,
    "mineaction:record": RECORDS,
    "mineaction:layer": members(OK),  # donors get counts per unit
    "mineaction:reports": RECORDS,
    "mineaction:report": RECORDS,
    "mineaction:report_new": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "mineaction:quick_hazard": members(DENIED, coordinator=OK, partner_editor=OK),
    # A body's lists and action points: the coordination and the lead's editors; an action
    # point's status: also its owner's editors (here the same organisation).
    **{
        f"meetings:{name}": OWN_EDITORS
        for name in ("meeting_new", "attendance_add", "decision_add", "action_add", "action_update")
    },
    "mineaction:report_action": members(NOT_ALLOWED),  # POST only; see POST_RULES
    "overview": members(OK),
    "response:activities": members(OK),  # donors read the 5W
    "response:activity_export": members(OK),
    "response:activities_geojson": members(OK),
    "response:activity": members(OK),
    "response:activity_new": EDITORS,
    "response:activity_edit": OWN_EDITORS,
    "response:sharing_board": members(OK),
    "response:resources_geojson": members(OK),
    "response:resource": members(OK),
    "response:resource_new": EDITORS,
    "response:resource_edit": OWN_EDITORS,
    "response:loan_request": members(NOT_ALLOWED),  # POST only
    "response:loan_decide": members(NOT_ALLOWED),  # POST only
    "response:frameworks": members(OK),
    "response:framework_new": members(DENIED, coordinator=OK),
    "response:framework_add": members(NOT_ALLOWED),  # POST only
    "my_organisation": members(OK),
    "organisation_work": members(OK),
    "response:framework": members(OK),
    "funding:transactions": members(OK),
    "funding:localisation": members(OK),  # aggregates and public flows: donors too
    "funding:export": members(OK),
    "funding:transaction": members(OK),
    "funding:transaction_new": EDITORS,
    "funding:transaction_edit": OWN_EDITORS,
    "response:needs": members(OK),
    "response:need_export": members(OK),
    "interop:batches": EDITORS,
    "interop:upload": EDITORS,
    # A batch and its rejected rows: its organisation (national IM data) and the coordination.
    "interop:batch": members(
        DENIED, coordinator=OK, partner_editor=(OK, DENIED), partner_viewer=(OK, DENIED)
    ),
    "interop:batch_progress": members(
        DENIED, coordinator=OK, partner_editor=(OK, DENIED), partner_viewer=(OK, DENIED)
    ),
    "interop:resubmit": members(NOT_ALLOWED),  # POST only
    "interop:template": members(OK),
    # Kafo's field forms: for those who bring data in (editors and the coordination).
    "intake:form": EDITORS,
    "intake:hazards_export": EDITORS,
    "intake:sources": EDITORS,
    # A submission is seen by its organisation's editors and the coordination alone.
    "intake:submission": members(DENIED, coordinator=OK, partner_editor=(OK, "404")),
    "intake:submission_action": members(NOT_ALLOWED),  # POST only; see POST_RULES
    "intake_webhook": everyone(NOT_ALLOWED),  # POST only, with the shared secret
    # A file of a submission that did not become a field report: as its submission.
    "intake:attachment": members(
        DENIED, coordinator=OK, partner_editor=(OK, "404"), partner_viewer="404"
    ),
    "interop:review": members(DENIED, coordinator=OK),
    "interop:review_decide": members(NOT_ALLOWED),  # POST only
    # The API answers 401 to a caller without a token or session, never a login page.
    "api:schema": everyone(OK),
    "gaps": members(OK),  # aggregated: donors too
    "gaps_geojson": members(OK),
    "equity": members(OK),  # aggregated: donors too
    "equity_geojson": members(OK),
    "alignment": members(OK),
    "duplicates": RECORDS,  # names records: not for donors
    "priorities": RECORDS,
    "priorities_geojson": RECORDS,
    "priority_weights": members(NOT_ALLOWED),  # POST only
    "response:access": RECORDS,
    "response:access_new": members(DENIED, coordinator=OK),
    "response:access_edit": members(DENIED, coordinator=OK),
    "plans": RECORDS,
    # Commitments are public texts and observers' scores: every member reads them.
    "commitments:frameworks": members(OK),
    "commitments:framework": members(OK),
    "commitments:drafts": members(OK),
    "commitments:export": members(OK),
    "commitments:commitment": members(OK),
    "commitments:party": members(OK),
    # Focal points: a partner sees its own (and shared ones); another's is not found.
    "communities:directory": RECORDS,
    "communities:focal_point_new": EDITORS,
    "communities:focal_point": members(
        OK, partner_editor=(OK, "404"), partner_viewer=(OK, "404"), donor_viewer=DENIED
    ),
    "communities:focal_point_edit": members(
        OK, partner_editor=(OK, "404"), partner_viewer=(DENIED, "404"), donor_viewer=DENIED
    ),
    "interop:outbox_import": members(NOT_ALLOWED),  # POST only
    "communities:focal_point_add": members(NOT_ALLOWED),  # POST only
    "communities:focal_point_merge": members(NOT_ALLOWED),  # POST only
    "meetings:bodies": RECORDS,
    "meetings:body": RECORDS,
    "meetings:body_calendar": RECORDS,
    "meetings:body_new": members(DENIED, coordinator=OK),
    "meetings:body_edit": OWN_EDITORS,  # the coordination, and the lead's editors
    "meetings:meeting": RECORDS,
    "meetings:meeting_calendar": RECORDS,
    "meetings:actions": RECORDS,
    "meetings:referrals": RECORDS,
    "meetings:referral_new": members(NOT_ALLOWED),  # POST only
    "meetings:referral_update": members(NOT_ALLOWED),  # POST only
    **{
        f"meetings:{name}": members(NOT_ALLOWED)  # POST only
        for name in (
            "meeting_new",
            "attendance_add",
            "attendance_import",
            "decision_add",
            "action_add",
            "action_update",
        )
    },
    "communities:alerts": RECORDS,
    "communities:alert_outcome": members(NOT_ALLOWED),  # POST only
    "community_coverage": RECORDS,
    "community_coverage_geojson": RECORDS,
    "communities:library": RECORDS,
    "communities:message_add": members(NOT_ALLOWED),  # POST only
    "communities:message_approve": members(NOT_ALLOWED),
    "communities:message_audio": members("404", donor_viewer=DENIED),  # no audio recorded
    "communities:campaign_add": members(NOT_ALLOWED),
    "communities:campaign": RECORDS,
    "communities:campaign_send": members(NOT_ALLOWED),
    "communities:delivery_feedback": members(NOT_ALLOWED),
    "commitments:import": members(NOT_ALLOWED),  # POST only
    "commitments:assess": members(NOT_ALLOWED),
    "commitments:review": members(NOT_ALLOWED),
    "commitments:validate": members(NOT_ALLOWED),
    "plan_new": members(NOT_ALLOWED),  # POST only
    "plan": RECORDS,
    "plan_progress": RECORDS,
    "plan_geojson": RECORDS,
    "plan_export": RECORDS,
    "plan_status": members(NOT_ALLOWED),  # POST only
    "plan_answer": members(NOT_ALLOWED),  # POST only
    **{name: {**members(OK), ANON: ("401", "401")} for name in API_READ},
    **{name: {**RECORDS, ANON: ("401", "401")} for name in API_RECORDS},
    "api:analysis-detail": {**members(OK), ANON: ("401", "401")},  # gaps: aggregated
    # A State's treaty reports: the national authority's.
    "reports:index": members(DENIED, coordinator=OK),
    # The bulletin: everyone, in the edition each may read (tests/reports/test_bulletin.py).
    "reports:bulletin": everyone(OK),
    "reports:profile": RECORDS,  # casualties counted exactly: not for donors
    "reports:article7": members(DENIED, coordinator=OK),
    "reports:article7_file": members(DENIED, coordinator=OK),
    "reports:article7_edit": members(NOT_ALLOWED),  # POST only; see POST_RULES
    "reports:article7_submit": members(NOT_ALLOWED),  # POST only; see POST_RULES
    # A meeting's minutes: as the meeting; published to the library by who manages it.
    "reports:minutes": RECORDS,
    "reports:capacity": members(OK),  # aggregates: donors too
    "reports:minutes_publish": members(NOT_ALLOWED),  # POST only; see POST_RULES
    # The library: every member searches it, each reading what its clearance reaches (here
    # items and lessons for national IM and the owner: another partner's are not found).
    **{f"library:{name}": members(OK)
       for name in ("index", "new", "lessons", "collections", "collection")},
    **{f"library:{name}": members(OK, partner_editor=(OK, "404"), partner_viewer=(OK, "404"),
                                  donor_viewer="404")
       for name in ("item", "item_file", "lesson")},
    # The accreditation register: public; the national authority (the coordination) keeps it.
    "actors:accreditations": members(OK),
    "actors:accreditation_new": members(DENIED, coordinator=OK),
    "actors:accreditation_edit": members(DENIED, coordinator=OK),
    "library:item_new": EDITORS,
    "library:lesson_new": EDITORS,
    "library:item_edit": OWN_EDITORS,
    "library:lesson_edit": OWN_EDITORS,
    "library:link_add": members(NOT_ALLOWED),  # POST only; see POST_RULES
    "library:collection_items": members(NOT_ALLOWED),  # POST only; tests/library
}  # fmt: skip
# State-changing requests: who may, who is refused (a refused request changes nothing).
POST_RULES: dict[str, dict] = {
    "actors:edit": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "actors:create": members(DENIED, coordinator=OK),
    "mineaction:report_new": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "mineaction:quick_hazard": members(DENIED, coordinator=OK, partner_editor=OK),
    # A body's lists and action points: the coordination and the lead's editors; an action
    # point's status: also its owner's editors (here the same organisation).
    **{
        f"meetings:{name}": OWN_EDITORS
        for name in ("meeting_new", "attendance_add", "decision_add", "action_add", "action_update")
    },
    "mineaction:report_action": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "personal_data_anonymise": members(DENIED, coordinator=OK),
    "response:activity_edit": OWN_EDITORS,
    "response:resource_edit": OWN_EDITORS,
    # Borrowing: another organisation's resource only.
    "response:loan_request": members(DENIED, coordinator=OK, partner_editor=(DENIED, OK)),
    # Deciding on a loan: the resource's owner (or the coordination).
    "response:loan_decide": OWN_EDITORS,
    "funding:transaction_edit": OWN_EDITORS,
    "response:framework_add": members(DENIED, coordinator=OK),
    "interop:resubmit": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "interop:review_decide": members(DENIED, coordinator=OK),
    "priority_weights": members(DENIED, coordinator=OK),
    "response:access_edit": members(DENIED, coordinator=OK),
    "plan_new": members(DENIED, coordinator=OK),
    "plan_status": members(DENIED, coordinator=OK),
    # An assignment is answered by its organisation's editors (or the coordination).
    "plan_answer": OWN_EDITORS,
    "commitments:assess": members(DENIED, coordinator=OK),
    "communities:focal_point_add": members(
        OK, partner_editor=(OK, "404"), partner_viewer=(DENIED, "404"), donor_viewer=DENIED
    ),
    # Only the alert's organisation (or the coordination) records its outcome.
    "communities:alert_outcome": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "communities:message_approve": members(DENIED, coordinator=OK),
    "communities:campaign_send": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "communities:delivery_feedback": members(DENIED, coordinator=OK, partner_editor=(OK, DENIED)),
    "commitments:review": members(DENIED, coordinator=OK),
    "commitments:validate": members(DENIED, coordinator=OK),
    "intake:submission_action": members(DENIED, coordinator=OK, partner_editor=(OK, "404")),
    "reports:article7_edit": members(DENIED, coordinator=OK),
    "reports:article7_submit": members(DENIED, coordinator=OK),
    "reports:minutes_publish": OWN_EDITORS,  # the coordination, and the body lead's editors
    "library:link_add": OWN_EDITORS,  # who added the item, and the coordination
}


KINDS = ["hazard", "activity", "device", "accident", "victim", "eore", "assistance", "quality"]
# Routes with a record kind in them are checked for every kind.
KIND_ROUTES = {
    "mineaction:list": KINDS,
    "mineaction:export": KINDS,
    "mineaction:record": KINDS,
    "mineaction:report_new": KINDS,
    "mineaction:layer": KINDS,
}


def _kwargs(name: str, records: dict, kind: str = "accident") -> dict:
    accident, victim = records["accident"], records["victim"]
    person = {"model": "mineaction.victim", "pk": victim.pk}
    return {
        "geo:unit": {"version_id": accident.admin_unit.cod_version_id,
                     "pcode": accident.admin_unit.pcode},
        "actors:organisation": {"pk": records["organisation"].pk},
        "actors:edit": {"pk": records["organisation"].pk},
        "mineaction:list": {"kind": kind},
        "mineaction:export": {"kind": kind},
        "mineaction:layer": {"kind": kind},
        "mineaction:record": {"kind": kind, "reference": records[kind].reference},
        "mineaction:report": {"reference": records["report"].reference},
        "mineaction:report_new": {"kind": kind},
        "mineaction:report_action": {"reference": records["pending"].reference, "action": "verify"},
        "personal_data": person,
        "personal_data_export": person,
        "personal_data_anonymise": person,
        "response:activity": {"pk": records["activity5w"].pk},
        "response:activity_edit": {"pk": records["activity5w"].pk},
        "response:resource": {"pk": records["resource"].pk},
        "response:resource_edit": {"pk": records["resource"].pk},
        "response:loan_request": {"pk": records["resource"].pk},
        "response:loan_decide": {"pk": records["loan"].pk, "action": "refuse"},
        "response:framework": {"pk": records["framework"].pk},
        "response:framework_add": {"pk": records["framework"].pk, "part": "objective"},
        "organisation_work": {"pk": records["organisation"].pk},
        "funding:transaction": {"pk": records["transaction"].pk},
        "funding:transaction_edit": {"pk": records["transaction"].pk},
        "interop:batch": {"pk": records["batch"].pk},
        **{name: {"pk": records["export"].pk}
           for name in ("export_file", "export_progress", "export_download")},
        "interop:batch_progress": {"pk": records["batch"].pk},
        "interop:resubmit": {"pk": records["batch"].pk},
        "interop:template": {"kind": "activities"},
        "intake:form": {"kind": "hazard"},
        "intake:submission": {"pk": records["submission"].pk},
        "intake_webhook": {"source": records["submission"].source_id},
        "intake:attachment": {"pk": records["attachment"].pk},
        "intake:submission_action": {"pk": records["submission"].pk, "action": "dismiss"},
        **{name: {"treaty_code": "apmbc", "year": 2024} for name in
           ("reports:article7", "reports:article7_edit", "reports:article7_submit")},
        "reports:article7_file": {"treaty_code": "apmbc", "year": 2024, "kind": "docx"},
        "interop:review_decide": {"pk": records["flagged"].pk},
        "api:activity-detail": {"pk": records["activity5w"].pk},
        "api:need-detail": {"pk": records["need"].pk},
        "api:organisation-detail": {"pk": records["organisation"].pk},
        "api:transaction-detail": {"pk": records["transaction"].pk},
        "api:analysis-detail": {"name": "gaps"},
        "response:access_edit": {"pk": records["restriction"].pk},
        "plan": {"pk": records["joint_plan"].pk},
        "plan_progress": {"pk": records["joint_plan"].pk},
        "plan_geojson": {"pk": records["joint_plan"].pk},
        "plan_export": {"pk": records["joint_plan"].pk},
        "plan_status": {"pk": records["joint_plan"].pk, "action": "discuss"},
        "plan_answer": {"pk": records["assignment"].pk, "action": "accept"},
        **{f"commitments:{name}": {"pk": records["framework_c"].pk}
           for name in ("framework", "drafts", "export")},
        **{f"commitments:{name}": {"pk": records["commitment"].pk}
           for name in ("commitment", "assess", "review")},
        "commitments:validate": {"pk": records["assessment"].pk},
        "commitments:party": {"pk": records["organisation"].pk},
        **{f"communities:{name}": {"pk": records["focal_point"].pk}
           for name in ("focal_point", "focal_point_edit", "focal_point_merge")},
        **{f"meetings:{name}": {"pk": records["body"].pk}
           for name in ("body", "body_edit", "body_calendar", "meeting_new")},
        **{f"meetings:{name}": {"pk": records["meeting"].pk}
           for name in ("meeting", "meeting_calendar", "attendance_add", "attendance_import",
                        "decision_add", "action_add")},
        "meetings:action_update": {"pk": records["action"].pk},
        **{f"reports:{name}": {"pk": records["meeting"].pk}
           for name in ("minutes", "minutes_publish")},
        **{f"library:{name}": {"pk": records["library_item"].pk}
           for name in ("item", "item_file", "item_edit")},
        **{f"library:{name}": {"pk": records["lesson"].pk} for name in ("lesson", "lesson_edit")},
        "library:collection": {"pk": records["collection"].pk},
        "actors:accreditation_edit": {"pk": records["accreditation"].pk},
        "library:link_add": {"kind": "item", "pk": records["library_item"].pk},
        "meetings:referral_update": {"pk": records["referral"].pk},
        "communities:focal_point_add": {"pk": records["focal_point"].pk, "part": "engagement"},
        "communities:alert_outcome": {"pk": records["alert"].pk},
        "communities:message_approve": {"pk": records["message"].pk},
        "communities:message_audio": {"pk": records["message"].pk},
        "communities:campaign": {"pk": records["campaign"].pk},
        "communities:campaign_send": {"pk": records["campaign"].pk},
        "communities:delivery_feedback": {"pk": records["delivery"].pk},
        **{f"api:record-{k}-detail": {"reference": records[k].reference} for k in KINDS},
    }.get(name, {})  # fmt: skip


def urls(name: str, records: dict) -> list[str]:
    """The URLs of a route for a side's records: one per record kind where it takes one."""
    result = []
    for kind in KIND_ROUTES.get(name, ["accident"]):
        url = reverse(name, kwargs=_kwargs(name, records, kind))
        if name == "mineaction:report_new":
            url += f"?record={records[kind].reference}"  # a correction of that record
        result.append(url)
    return result


def _outcome(response) -> str:
    status, location = response.status_code, response.get("Location", "")
    if status == 302 and location.startswith("/accounts/login/"):
        return LOGIN
    if status in (200, 204, 302):
        return OK
    return {403: DENIED, 405: NOT_ALLOWED}.get(status, str(status))


NAMES = sorted({name for _route, name in routes()})
SIDES = ("own", "other")


def test_every_view_has_a_rule():
    assert sorted(set(NAMES) - set(RULES)) == [], "add these views to RULES"
    assert sorted(set(RULES) - set(NAMES)) == [], "these rules name no view"


def _table(rule: dict) -> dict:
    return {(role, side): rule[role][SIDES.index(side)] for role in rule for side in SIDES}


@pytest.mark.parametrize("name", NAMES)
def test_get(world, name):
    """One test per view (the world is built once), every role and side inside."""
    actual = {}
    for role in ROLES:
        for side in SIDES:
            client = SecondFactorClient()
            if role:
                client.force_login(world["users"][role])
            outcomes = {_outcome(client.get(url)) for url in urls(name, world["records"][side])}
            actual[(role, side)] = outcomes.pop() if len(outcomes) == 1 else str(outcomes)
    assert actual == _table(RULES[name])


POST_DATA = {
    "meetings:meeting_new": {"title": "x"},
    "meetings:attendance_add": {},
    "meetings:decision_add": {"text": "x"},
    "meetings:action_add": {"text": "x"},
    "meetings:action_update": {"status": "open"},
    "meetings:referral_update": {"status": "accepted"},
    "intake:submission_action": {},
    "reports:minutes_publish": {},
    "library:link_add": {"record_type": "hazard", "key": "NO-SUCH-HAZARD"},
    "reports:article7_edit": {"form": "A", "text": "Loi n° 2000-31"},
    "reports:article7_submit": {},
    "actors:edit": {"name": "Renamed", "acronym": "RN", "type": "international_ngo"},
    "actors:create": {"name": "Association Nouvelle", "type": "national_ngo"},
    "mineaction:report_new": {"date_of_information": "2024-07-01", "area_marked": "yes"},
    "mineaction:quick_hazard": {
        "date_seen": "2024-07-01",
        "pcode": "ML0501",
        "contamination": ["improvised_mine"],
        "evidence": "visual",
        "description": "Engin suspect",
    },
    "mineaction:report_action": {"reason": "test"},
    "personal_data_anonymise": {"reason": "the person asked"},
    "response:activity_edit": {"title": ""},
    "response:resource_edit": {"name": ""},
    "response:loan_request": {"start": "2030-03-01", "end": "2030-03-05"},
    "response:loan_decide": {},
    "funding:transaction_edit": {"amount": "-1"},
    "response:framework_add": {"code": "", "level": "pillar", "title": ""},
    "interop:resubmit": {},
    "interop:review_decide": {"action": "keep"},
    "priority_weights": {
        "casualties": "1",
        "population": "0",
        "settlements": "0",
        "blockages": "0",
        "access": "0",
        "radius_km": "5",
    },
    "response:access_edit": {"pcode": "ML0501", "level": "no_access", "start": "2024-02-01"},
    "plan_new": {
        "name": "P",
        "start": "2030-01",
        "months": 1,
        "time_limit": 5,
        "level": 2,
        "equity_floor": 0.5,
    },
    "plan_status": {},
    "plan_answer": {},
    "commitments:assess": {"date": "2024-01-01", "score": "1"},
    "commitments:review": {"action": "confirm"},
    "commitments:validate": {},
    "communities:focal_point_add": {"kind": "meeting", "date": "2024-01-01", "pcode": "ML0501"},
    "communities:alert_outcome": {"status": "dismissed"},
    "communities:message_approve": {},
    "communities:campaign_send": {},
    "communities:delivery_feedback": {"feedback": "ok"},
}


@pytest.mark.parametrize("name", sorted(POST_RULES))
def test_post(world, name):
    actual = {}
    for role in reversed(ROLES[1:]):  # the coordinator last: it may change the state
        for side in SIDES:
            client = SecondFactorClient()
            client.force_login(world["users"][role])
            url = urls(name, world["records"][side])[0]
            actual[(role, side)] = _outcome(client.post(url, POST_DATA[name]))
    expected = _table(POST_RULES[name])
    del expected[(ANON, "own")], expected[(ANON, "other")]
    assert actual == expected


# API writes, declared: every write method on the objects of one's own organisation and of
# another, for every role (the expected answers come from this table, not from the code).
API_OWN_EDITORS = {**OWN_EDITORS, ANON: ("401", "401")}
API_NO_DELETE = {**members(NOT_ALLOWED), ANON: ("401", "401")}
API_WRITE_RULES: dict[tuple[str, str], dict] = {
    ("activity", "patch"): API_OWN_EDITORS,
    ("activity", "put"): API_OWN_EDITORS,
    ("activity", "delete"): API_NO_DELETE,
    # A new activity for that organisation: the API makes it for one's own only (naming
    # another is refused, for the coordination too: it acts for others in the web pages).
    ("activity", "post"): {**members(DENIED, partner_editor=(OK, DENIED)), ANON: ("401", "401")},
    ("transaction", "patch"): API_OWN_EDITORS,
    ("transaction", "delete"): API_NO_DELETE,
    ("organisation", "patch"): API_OWN_EDITORS,
    ("organisation", "delete"): API_NO_DELETE,
}
API_OBJECTS = {"activity": "activity5w", "transaction": "transaction",
               "organisation": "organisation"}  # fmt: skip


def _api_request(client, kind: str, method: str, records: dict):
    record = records[API_OBJECTS[kind]]
    organisation = records["organisation"].pk
    body = {
        "activity": {"title": "Renommé", "sector": "PRO-MIN", "activity_type": "EORE",
                     "status": "planned", "currency": "USD", "organisation": organisation,
                     "locations": ["ML0501"]},
        "transaction": {"description": "Revu"},
        "organisation": {"website": "https://example.org"},
    }[kind]  # fmt: skip
    if method == "post":
        return client.post(reverse(f"api:{kind}-list"), body, format="json")
    url = reverse(f"api:{kind}-detail", args=[record.pk])
    return getattr(client, method)(url, body, format="json")


def _api_outcome(response) -> str:
    status = response.status_code
    if status in (200, 201, 202, 204):
        return OK
    return {403: DENIED, 405: NOT_ALLOWED}.get(status, str(status))


@pytest.mark.parametrize(("kind", "method"), sorted(API_WRITE_RULES))
def test_api_write(world, kind, method):
    from rest_framework.test import APIClient

    actual = {}
    for role in ROLES:  # the coordinator's changes are harmless to the others' answers
        for side in SIDES:
            client = APIClient()
            if role:
                client.force_authenticate(world["users"][role])
            response = _api_request(client, kind, method, world["records"][side])
            actual[(role, side)] = _api_outcome(response)
    assert actual == _table(API_WRITE_RULES[(kind, method)])
