"""A person's data: exported on request, anonymised on request or by retention rule,
everywhere it is kept (the record and the field reports), with the facts kept."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from kafo.actors.models import Role
from kafo.mineaction.models import FieldReport, Victim
from kafo.security.models import Action, AuditEvent, RetentionRule
from kafo.security.personal import anonymise, apply_retention, export_personal_data


@pytest.fixture
def victim(mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    accident = mine_action.accident(editor, date="2019-02-01")
    return mine_action.victim(
        editor, accident, name="Oumar Cissé", phone="+223 66 00 11 22", address="Sévaré",
        id_number="123456", injuries="jambe gauche", age=12, sex="male",
    )  # fmt: skip


def test_the_export_holds_everything_and_says_who_exported_it(victim, coordinator):
    document = json.loads(export_personal_data(victim, user=coordinator))
    assert document["data"]["name"] == "Oumar Cissé"
    assert document["data"]["phone"] == "+223 66 00 11 22"
    assert document["exported_by"] == coordinator.username
    event = AuditEvent.objects.get(action=Action.PERSONAL_EXPORT)
    assert document["audit_reference"] == event.pk and event.object_id == str(victim.pk)


def test_anonymising_erases_identity_everywhere_and_keeps_the_facts(victim, coordinator):
    anonymise(victim, user=coordinator, reason="the person asked")
    victim.refresh_from_db()
    assert (victim.name, victim.phone, victim.address, victim.id_number) == ("", "", "", "")
    assert victim.anonymised_at is not None
    assert (victim.age, victim.sex, victim.outcome) == (12, "male", "injured")  # for statistics
    for report in FieldReport.objects.filter(record_reference=victim.reference):
        assert "Oumar" not in json.dumps(report.data) and "66 00 11 22" not in json.dumps(
            report.data
        )
    event = AuditEvent.objects.get(action=Action.ANONYMISE)
    assert event.changes["reason"] == "the person asked"


def test_the_coordinator_does_it_from_the_web(client, victim, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/accounts/personal-data/mineaction.victim/{victim.pk}/")
    assert "Oumar Cissé" in page.content.decode()
    export = client.get(f"/accounts/personal-data/mineaction.victim/{victim.pk}/export/")
    assert export["Content-Type"] == "application/json" and b"Oumar" in export.content
    refused = client.post(f"/accounts/personal-data/mineaction.victim/{victim.pk}/anonymise/")
    assert refused.status_code == 302 and Victim.objects.get(pk=victim.pk).name  # no reason
    client.post(
        f"/accounts/personal-data/mineaction.victim/{victim.pk}/anonymise/", {"reason": "asked"}
    )
    assert Victim.objects.get(pk=victim.pk).name == ""


def test_retention_rules_anonymise_what_is_past_its_time(victim, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    recent_accident = mine_action.accident(editor, date=timezone.localdate().isoformat())
    recent = mine_action.victim(editor, recent_accident, name="Awa Diallo")
    RetentionRule.objects.create(model="mineaction.victim", keep_days=5 * 365)
    assert apply_retention(dry_run=True) == {"mineaction.victim": 1}
    assert Victim.objects.get(pk=victim.pk).name == "Oumar Cissé"
    call_command("apply_retention")
    assert Victim.objects.get(pk=victim.pk).name == ""
    assert Victim.objects.get(pk=recent.pk).name == "Awa Diallo"


def test_a_retention_rule_names_a_kind_of_personal_data(db):
    with pytest.raises(ValidationError, match=r"mineaction\.victim"):
        RetentionRule(model="geo.adminunit", keep_days=10).full_clean()


def test_old_enough_is_counted_from_the_accident_date(victim):
    age_in_days = (timezone.localdate() - victim.accident.date).days
    RetentionRule.objects.create(model="mineaction.victim", keep_days=age_in_days + 30)
    assert apply_retention(dry_run=True) == {"mineaction.victim": 0}
