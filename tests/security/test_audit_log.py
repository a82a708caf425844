"""Every create, update, delete, login and failed login is in the append-only audit log."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from kafo.actors.models import Organisation, Role
from kafo.security.models import Action, AuditEvent


def _last(action):
    return AuditEvent.objects.filter(action=action).first()


def test_a_change_made_through_a_page_records_who_what_and_from_where(
    client, user_with_role, organisation
):
    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    client.force_login(editor)
    client.post(
        f"/organisations/{editor.membership.organisation_id}/edit/",
        {"name": "Handicap International", "acronym": "HI", "type": "international_ngo"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="Firefox test",
    )
    event = _last(Action.UPDATE)
    assert event.username == editor.username
    assert event.organisation.endswith("(HI)")
    assert event.role == Role.PARTNER_EDITOR
    assert (event.object_type, event.ip, event.user_agent) == (
        "actors.organisation", "10.1.2.3", "Firefox test",
    )  # fmt: skip
    assert event.changes["fields"]["name"] == ["Organisation HI", "Handicap International"]
    assert "acronym" not in event.changes["fields"]  # unchanged fields are not listed


def test_create_and_delete_are_recorded(db):
    org = Organisation.objects.create(name="Association Tassaght", type="national_ngo")
    pk = org.pk
    org.delete()
    created, deleted = _last(Action.CREATE), _last(Action.DELETE)
    assert (created.object_id, deleted.object_id) == (str(pk), str(pk))
    assert created.changes["fields"]["name"] == "Association Tassaght"


def test_logins_logouts_and_failed_logins_are_recorded(plain_client, user_with_role):
    user = user_with_role(Role.PARTNER_VIEWER)
    plain_client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    failed = _last(Action.LOGIN_FAILED)
    assert failed.username == user.username and failed.ip == "127.0.0.1"
    assert "wrong" not in str(failed.changes)
    plain_client.post("/accounts/login/", {"username": user.username, "password": "secret-pass-42"})
    assert _last(Action.LOGIN).username == user.username
    plain_client.post("/accounts/logout/")
    assert _last(Action.LOGOUT).username == user.username


def test_the_orm_refuses_to_change_or_delete_events(db):
    Organisation.objects.create(name="Some NGO", type="national_ngo")
    event = AuditEvent.objects.first()
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().update(username="someone else")
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_rewrite_events(db):
    Organisation.objects.create(name="Some NGO", type="national_ngo")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE security_auditevent SET username = 'someone else'")
    assert not AuditEvent.objects.filter(username="someone else").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite refuses deletes in the ORM")
def test_postgresql_refuses_to_delete_events(db):
    Organisation.objects.create(name="Some NGO", type="national_ngo")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_auditevent")


def test_admins_read_the_log_and_cannot_change_it(client, coordinator, db):
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    event = AuditEvent.objects.first()
    assert client.get("/admin/security/auditevent/").status_code == 200
    page = client.get(f"/admin/security/auditevent/{event.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert (
        client.post(f"/admin/security/auditevent/{event.pk}/change/", {"username": "x"}).status_code
        == 403
    )
    assert client.post(f"/admin/security/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/security/auditevent/add/").status_code == 403


def test_a_failed_login_is_recorded_under_the_name_tried(client, user_with_role):
    someone = user_with_role(Role.PARTNER_VIEWER)
    client.force_login(user_with_role(Role.PARTNER_EDITOR))  # already logged in as another
    client.post("/accounts/login/", {"username": someone.username, "password": "wrong"})
    assert _last(Action.LOGIN_FAILED).username == someone.username
