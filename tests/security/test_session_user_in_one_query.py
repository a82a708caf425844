"""The user of a session comes with their membership and organisation in one query (every
page reads them); a user without a membership, or inactive, is handled as before."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kafo.actors.models import Role
from kafo.actors.permissions import membership_of
from kafo.security.lockout import LockoutBackend


def test_membership_and_organisation_come_with_the_user(user_with_role):
    user = user_with_role(Role.PARTNER_EDITOR)
    with CaptureQueriesContext(connection) as queries:
        found = LockoutBackend().get_user(user.pk)
        name = membership_of(found).organisation.name
    assert len(queries.captured_queries) == 1
    assert name == user.membership.organisation.name and found == user


def test_a_user_without_membership_or_inactive(db):
    users = get_user_model()
    alone = users.objects.create_user("seul", password="x")
    found = LockoutBackend().get_user(alone.pk)
    assert found == alone and membership_of(found) is None
    users.objects.filter(pk=alone.pk).update(is_active=False)
    assert LockoutBackend().get_user(alone.pk) is None
    assert LockoutBackend().get_user(999_999) is None
