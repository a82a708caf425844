import json

import pytest
from django.utils import timezone

from kafo.actors.models import Role
from kafo.mineaction.models import FieldReport
from tests.conftest import square

ACCIDENT = {
    "date": "2024-05-01", "longitude": -4.2, "latitude": 14.5,
    "device_category": "improvised_mine", "accident_type": "civilian",
}  # fmt: skip


@pytest.fixture
def world(mine_action, organisation, user_with_role, coordinator, settings, tmp_path):
    """Two partner organisations (ours and another) with one user per role in ours, and
    validated accidents, victims and field reports on both sides."""
    ours, theirs = organisation("HI"), organisation("DRC")
    users = {
        None: None,
        Role.COORDINATOR: coordinator,
        Role.PARTNER_EDITOR: user_with_role(Role.PARTNER_EDITOR, ours, "editor"),
        Role.PARTNER_VIEWER: user_with_role(Role.PARTNER_VIEWER, ours, "viewer"),
        Role.DONOR_VIEWER: user_with_role(Role.DONOR_VIEWER, ours, "donor"),
    }
    their_editor = user_with_role(Role.PARTNER_EDITOR, theirs, "their-editor")
    records = {}
    for side, editor, org in (
        ("own", users[Role.PARTNER_EDITOR], ours),
        ("other", their_editor, theirs),
    ):
        accident = mine_action.accident(editor)
        victim = mine_action.victim(editor, accident)
        hazard = mine_action.hazard(
            editor, geometry=json.dumps(square(-4.3 + len(records) * 0.05, 14.4, 0.02))
        )
        activity = mine_action.activity(editor, hazard)
        extra = {
            "hazard": hazard,
            "activity": activity,
            "device": mine_action.device(editor, activity),
            "eore": mine_action.eore(editor),
            "assistance": mine_action.assistance(editor, victim),
            "quality": mine_action.quality(editor, activity),
        }
        report = FieldReport.objects.filter(record_reference=accident.reference).first()
        pending = mine_action.report(
            "accident",
            editor,
            {**ACCIDENT, "area_marked": "yes"},
            accident.reference,
            validate=False,
        )
        records[side] = {"organisation": org, "accident": accident, "victim": victim,
                         "report": report, "pending": pending, **extra}  # fmt: skip
    _add_response_records(records, coordinator)
    _add_export_files(records, {"own": users[Role.PARTNER_EDITOR], "other": their_editor})
    _add_attachments(records, settings, tmp_path)
    return {"users": users, "records": records, "their_editor": their_editor}


def _add_attachments(records: dict, settings, folder) -> None:
    """A photo sent with each side's submission, already fetched small (no server)."""
    from kafo.intake.models import Attachment

    settings.DATA_DIR = folder
    (folder / "intake").mkdir(exist_ok=True)
    for side in ("own", "other"):
        (folder / "intake" / f"{side}.jpg").write_bytes(b"jpeg")
        records[side]["attachment"] = Attachment.objects.create(
            submission=records[side]["submission"], filename="photo.jpg",
            mimetype="image/jpeg", download_url="https://kf.example/photo.jpg",
            small_path=f"{side}.jpg",
        )  # fmt: skip


def _add_export_files(records: dict, owners: dict) -> None:
    """An export written by a task on each side, its file on disk: its owner's alone."""
    from kafo.security.models import Action, AuditEvent, ExportFile, ExportStatus

    for side, owner in owners.items():
        event = AuditEvent.objects.create(action=Action.EXPORT, username=owner.username)
        export = ExportFile.objects.create(owner=owner, what="5w", format="xlsx", event=event,
                                           rows_total=1, rows_done=1,
                                           status=ExportStatus.DONE)  # fmt: skip
        export.path().parent.mkdir(parents=True, exist_ok=True)
        export.path().write_bytes(b"PK")
        records[side]["export"] = export


def _add_response_records(records: dict, coordinator) -> None:
    """Per side: an activity, an offered resource with a loan requested by the other side,
    a framework, and a transaction the side's organisation provides."""
    import datetime
    from decimal import Decimal

    from kafo.actors.models import Organisation
    from kafo.commitments.models import Assessment, Commitment, CommitmentFramework
    from kafo.communities.models import Alert, Campaign, Delivery, FocalPoint, KeyMessage
    from kafo.coordination.models import JointPlan, PlanAssignment
    from kafo.currencies.models import ExchangeRate
    from kafo.funding.models import Transaction
    from kafo.geo.models import AdminUnit
    from kafo.interop.models import ImportBatch, RejectedRow
    from kafo.response.models import (
        AccessRestriction,
        Activity,
        Availability,
        Framework,
        Loan,
        Need,
        Objective,
        Resource,
    )

    ExchangeRate.objects.get_or_create(
        currency="EUR", date=datetime.date(2024, 1, 1),
        defaults={"to_usd": Decimal("1.10"), "source": "test"},
    )  # fmt: skip
    mopti = AdminUnit.objects.get(pcode="ML0501")
    for side in ("own", "other"):
        org = records[side]["organisation"]
        activity = Activity.objects.create(organisation=org, title=f"EORE {side}", sector="PRO-MIN",
                                           activity_type="EORE")  # fmt: skip
        activity.locations.set([mopti])
        resource = Resource.objects.create(
            organisation=org, kind="eore_team", name=f"Team {side}", base=mopti, offered=True,
            sharing_conditions="free",
        )  # fmt: skip
        Availability.objects.create(resource=resource, start=datetime.date(2030, 1, 1),
                                    end=datetime.date(2030, 12, 31))  # fmt: skip
        framework = Framework.objects.create(owner=org, kind="other", name=f"Plan {side}",
                                             start_year=2024, end_year=2026)  # fmt: skip
        Objective.objects.create(framework=framework, level="pillar", code=f"P-{side}", title="x")
        transaction = Transaction.objects.create(
            type="3", provider=org, receiver=coordinator.membership.organisation,
            date=datetime.date(2024, 5, 1), amount=Decimal(1000), currency="EUR",
            rate_to_usd=Decimal("1.1"), rate_to_xof=Decimal("655.957"),
            rate_date=datetime.date(2024, 1, 1), rate_source="test",
        )  # fmt: skip
        batch = ImportBatch.objects.create(
            kind="activities", filename=f"{side}.csv", status="rejected", rejected=1,
            organisation=org, columns=[["Organisation", "#org+impl"]],
        )  # fmt: skip
        RejectedRow.objects.create(
            batch=batch, row=3, values={"#org+impl (Organisation)": org.name},
            errors=[{"column": "#sector", "value": "", "reason": "x"}],
        )  # fmt: skip
        flagged = Organisation.objects.create(name=f"Flagged {side}", needs_review=True)
        need = Need.objects.create(admin_unit=mopti, sector="PRO-MIN", in_need=10,
                                   year=2024 if side == "own" else 2023,
                                   organisation=org)  # fmt: skip
        restriction = AccessRestriction.objects.create(
            admin_unit=mopti, level="escort", start=datetime.date(2024, 1, 1), organisation=org
        )
        joint_plan = JointPlan.objects.create(
            name=f"Plan {side}", start=datetime.date(2030, 1, 1), months=2, status="draft",
            created_by=coordinator.membership.organisation,
        )  # fmt: skip
        assignment = PlanAssignment.objects.create(
            plan=joint_plan, resource=resource, organisation=org, task="EORE:ML0501",
            task_type="EORE", admin_unit=mopti, period=0, month=datetime.date(2030, 1, 1),
            output=100, km=10,
        )  # fmt: skip
        records[side].update(joint_plan=joint_plan, assignment=assignment)
        framework_c = CommitmentFramework.objects.create(name=f"Accord {side}", kind="agreement")
        commitment = Commitment.objects.create(framework=framework_c, reference="1",
                                               text_fr="x")  # fmt: skip
        commitment.responsible.set([org])
        assessment = Assessment.objects.create(
            commitment=commitment, date=datetime.date(2024, 1, 1), score=1, assessor=org
        )
        records[side].update(framework_c=framework_c, commitment=commitment, assessment=assessment)
        from kafo.intake.models import IntakeSource, Submission

        intake = IntakeSource.objects.create(
            name=f"KoBo {side}", platform="kobo", url="https://kf.example", asset_uid=side,
            token_env="KOBO_TOKEN", organisation=org, kind="accident",
        )  # fmt: skip
        submission = Submission.objects.create(
            source=intake, root_uuid=f"uuid:{side}", instance_uuid=f"uuid:{side}",
            raw={"narrative": "x"}, digest="x", status="rejected", reasons=["date: x"],
        )  # fmt: skip
        records[side].update(submission=submission)
        focal_point = FocalPoint.objects.create(
            name=f"Chef {side}",
            role="village_chief",
            admin_unit=mopti,
            languages=["bm"],
            organisation=org,
        )
        alert = Alert.objects.create(
            focal_point=focal_point,
            organisation=org,
            kind="object",
            channel="phone",
            reported_at=timezone.now(),
            admin_unit=mopti,
            description="x",
        )
        message = KeyMessage.objects.create(key=f"msg-{side}", language="bm", title="t",
                                            text="x", approved_at=timezone.now())  # fmt: skip
        campaign = Campaign.objects.create(
            name=f"Campagne {side}",
            organisation=org,
            message=f"msg-{side}",
            channel="focal_points",
        )
        campaign.admin_units.set([mopti])
        delivery = Delivery.objects.create(campaign=campaign, focal_point=focal_point,
                                           status="sent")  # fmt: skip
        records[side].update(focal_point=focal_point, alert=alert, message=message,
                             campaign=campaign, delivery=delivery)  # fmt: skip
        from kafo.meetings.models import ActionPoint, CoordinationBody, Meeting

        body = CoordinationBody.objects.create(name=f"GT {side}", kind="working_group", lead=org)
        now = timezone.now()
        meeting = Meeting.objects.create(body=body, title=f"Réunion {side}", starts_at=now,
                                         ends_at=now)  # fmt: skip
        action = ActionPoint.objects.create(meeting=meeting, owner=org, text="x",
                                            deadline=datetime.date(2030, 1, 1))  # fmt: skip
        from kafo.meetings.models import Referral

        referral = Referral.objects.create(source="victim_assistance", target="health",
                                           organisation=org, referred_on=datetime.date(2025, 1, 1),
                                           case_reference=f"VA-{side}")  # fmt: skip
        records[side].update(body=body, meeting=meeting, action=action, referral=referral)
        from django.core.files.base import ContentFile

        from kafo.library.models import Collection, Lesson, LibraryItem
        from kafo.sensitivity import NATIONAL_IM

        item = LibraryItem(title=f"Note {side}", item_type="report", organisation=org,
                           confidentiality=NATIONAL_IM, file_name="note.pdf",
                           media_type="application/pdf")  # fmt: skip
        item.file.save("note.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
        lesson = Lesson.objects.create(
            title=f"Leçon {side}", organisation=org, confidentiality=NATIONAL_IM, context="c",
            challenge="c", action="a", result="r", lesson="l", recommendation="r",
        )  # fmt: skip
        collection = Collection.objects.create(title=f"Collection {side}")
        collection.items.add(item)
        records[side].update(library_item=item, lesson=lesson, collection=collection)
        from kafo.actors.models import Accreditation

        accreditation = Accreditation.objects.create(organisation=org, activity="EORE",
                                                     issued=datetime.date(2025, 1, 1))  # fmt: skip
        records[side]["accreditation"] = accreditation
        records[side].update(activity5w=activity, resource=resource, framework=framework,
                             transaction=transaction, batch=batch, flagged=flagged,
                             need=need, restriction=restriction)  # fmt: skip
    for side, other in (("own", "other"), ("other", "own")):
        records[side]["loan"] = Loan.objects.create(
            resource=records[side]["resource"], borrower=records[other]["organisation"],
            start=datetime.date(2030, 2, 1), end=datetime.date(2030, 2, 10),
        )  # fmt: skip
