"""Changes to accounts (rights, activation, second-factor devices, API tokens, groups)
are in Kafo's audit log, with values for the open fields and never a password or key."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from kafo.actors.models import Role
from kafo.security.models import AuditEvent


def _events(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="auth.user", object_id=str(user.pk))
                .order_by("pk"))  # fmt: skip


def test_an_admin_change_of_rights_is_logged(client, coordinator, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    coordinator.is_staff = coordinator.is_superuser = True  # as the demo's coordinator
    coordinator.save()
    client.force_login(coordinator)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    assert client.get(url).status_code == 200
    data = {"username": editor.username, "is_staff": "on", "is_active": "on",
            "date_joined_0": editor.date_joined.date().isoformat(), "date_joined_1": "00:00:00",
            "first_name": "", "last_name": "", "email": ""}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = [e for e in _events(editor) if "is_staff" in e.changes.get("fields", {})]
    assert changed and changed[-1].changes["fields"]["is_staff"] == [False, True]
    assert changed[-1].username == coordinator.username


def test_a_password_change_is_logged_without_the_hash(db):
    user = get_user_model().objects.create_user("awa", password="first-pass-42")
    user.set_password("second-pass-42")
    user.save()
    fields = _events(user)[-1].changes["fields"]
    assert "password" in fields and fields["password"] is None


def test_groups_given_to_a_user_are_logged(db):
    user = get_user_model().objects.create_user("moussa", password="first-pass-42")
    group = Group.objects.create(name="Relecteurs")
    user.groups.add(group)
    fields = _events(user)[-1].changes["fields"]
    assert fields["groups"] == {"action": "add", "ids": [group.pk]}


def test_a_login_does_not_log_a_user_change(client, user_with_role):
    user = user_with_role(Role.PARTNER_VIEWER)
    before = len(_events(user))
    client.login(username=user.username, password="secret-pass-42")
    assert len(_events(user)) == before
