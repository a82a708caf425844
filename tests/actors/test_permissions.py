import pytest

from kafo.actors.models import Organisation, Role
from kafo.actors.permissions import can_create, can_edit, editable_by, is_coordinator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "own", "other", "create"),
    [
        (Role.COORDINATOR, True, True, True),
        (Role.PARTNER_EDITOR, True, False, True),
        (Role.PARTNER_VIEWER, False, False, False),
        (Role.DONOR_VIEWER, False, False, False),
    ],
)
def test_who_edits_what(user_with_role, organisation, role, own, other, create):
    home, elsewhere = organisation("HOME"), organisation("ELSEWHERE")
    user = user_with_role(role, home)
    assert can_edit(user, home) is own
    assert can_edit(user, elsewhere) is other
    assert can_create(user) is create
    assert set(editable_by(user, Organisation.objects.all())) == (
        {home, elsewhere} if other else {home} if own else set()
    )


def test_a_user_without_membership_edits_nothing(django_user_model, organisation):
    user = django_user_model.objects.create_user("alone", password="x")
    assert not can_edit(user, organisation("X"))
    assert not is_coordinator(user)
    assert editable_by(user, Organisation.objects.all()).count() == 0


def test_anonymous_edits_nothing(organisation):
    from django.contrib.auth.models import AnonymousUser

    assert not can_edit(AnonymousUser(), organisation("X"))


def test_records_of_an_organisation_follow_the_same_rule(user_with_role, organisation):
    home, elsewhere = organisation("HOME"), organisation("ELSEWHERE")
    editor = user_with_role(Role.PARTNER_EDITOR, home)

    class Record:
        def __init__(self, organisation_id):
            self.organisation_id = organisation_id

    assert can_edit(editor, Record(home.pk))
    assert not can_edit(editor, Record(elsewhere.pk))


def test_who_imports_what(user_with_role, organisation):
    from kafo.actors.models import Role
    from kafo.actors.permissions import can_import, can_import_for

    own = organisation("OWN")
    editor = user_with_role(Role.PARTNER_EDITOR, own, "importer")
    coordinator = user_with_role(Role.COORDINATOR, organisation("CNL"), "coord-importer")
    viewer = user_with_role(Role.PARTNER_VIEWER, own, "viewer-importer")
    assert can_import(editor, "activities") and not can_import(editor, "needs")
    assert can_import(coordinator, "iati") and not can_import(viewer, "activities")
    assert can_import(None, "organisations")  # the command line
    assert can_import_for(editor, own) and not can_import_for(editor, organisation("OTHER"))
    assert can_import_for(coordinator, own) and can_import_for(None, own)
