"""The API never moves an activity out of, or into, another organisation: a write naming
another is refused with 403 and the reason (it was answered 200 and ignored)."""

from kafo.actors.models import Role
from kafo.response.models import Activity


def test_a_patch_to_another_organisation_is_refused(api, user_with_role, organisation):
    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    other = organisation("DRC")
    activity = Activity.objects.create(organisation=editor.membership.organisation,
                                       title="EER", sector="HEA")  # fmt: skip
    response = api(editor).patch(f"/api/v1/activities/{activity.pk}/",
                                 {"organisation": other.pk}, format="json")  # fmt: skip
    assert response.status_code == 403 and "organisation" in response.json()["detail"]
    activity.refresh_from_db()
    assert activity.organisation == editor.membership.organisation


def test_naming_its_own_organisation_is_fine(api, user_with_role, organisation,
                                             demo_geography):  # fmt: skip
    from kafo.geo.models import AdminUnit

    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    activity = Activity.objects.create(organisation=editor.membership.organisation,
                                       title="EER", sector="HEA")  # fmt: skip
    activity.locations.set(AdminUnit.objects.active().filter(pcode="ML0501"))
    response = api(editor).patch(
        f"/api/v1/activities/{activity.pk}/",
        {"organisation": activity.organisation_id, "title": "EER revue"},
        format="json",
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.title == "EER revue"
