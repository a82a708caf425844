"""Risk education, victim assistance, devices and quality visits: what they check."""

from kafo.actors.models import Role
from kafo.mineaction.forms import AssistanceForm, EoreForm, QualityVisitForm
from tests.conftest import RECORD_DEFAULTS


def test_a_risk_education_session_needs_its_audience(demo_geography):
    empty = EoreForm(data={**RECORD_DEFAULTS["eore"], "girls_5_12": 0, "boys_5_12": 0,
                           "women": 0, "men": 0})  # fmt: skip
    assert not empty.is_valid() and "public par sexe et âge" in str(empty.errors)
    too_many = EoreForm(data={**RECORD_DEFAULTS["eore"], "persons_with_disabilities": 500})
    assert "Plus que les 90 personnes" in too_many.errors["persons_with_disabilities"][0]
    unknown = EoreForm(data={**RECORD_DEFAULTS["eore"], "admin_unit": "ML9999"})
    assert "n’a ce p-code" in unknown.errors["admin_unit"][0]


def test_assistance_names_a_victim_or_a_household(db):
    form = AssistanceForm(data=RECORD_DEFAULTS["assistance"])
    assert not form.is_valid() and "ménage" in form.errors["victim"][0]
    assert AssistanceForm(
        data={**RECORD_DEFAULTS["assistance"], "household": "Famille X"}
    ).is_valid()


def test_non_conformities_are_read_line_by_line(mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    activity = mine_action.activity(editor, mine_action.hazard(editor))
    values = {**RECORD_DEFAULTS["quality"], "activity": activity.reference,
              "inspected_organisation": activity.organisation_id}  # fmt: skip
    bad = QualityVisitForm(
        data={**values, "non_conformities": "major ; ok\nurgent ; pas de gravité"}
    )
    assert not bad.is_valid() and "Ligne 2" in bad.errors["non_conformities"][0]
    good = QualityVisitForm(
        data={**values, "non_conformities": "Majeure ; marquage absent ; poser\nminor ; registre"}
    )
    assert good.is_valid(), good.errors
    assert good.cleaned_data["non_conformities"] == [
        {"severity": "major", "description": "marquage absent", "corrective_action": "poser"},
        {"severity": "minor", "description": "registre", "corrective_action": ""},
    ]


def test_linked_records_show_on_their_parent(mine_action, user_with_role, client):
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor)
    activity = mine_action.activity(editor, hazard)
    device = mine_action.device(editor, activity, model="PMN-2")
    visit = mine_action.quality(editor, activity)
    victim = mine_action.victim(editor, mine_action.accident(editor))
    help_ = mine_action.assistance(editor, victim)
    client.force_login(editor)
    assert activity.reference in client.get(hazard.get_absolute_url()).content.decode()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert device.reference in page and visit.reference in page
    assert help_.reference in client.get(victim.get_absolute_url()).content.decode()
    assert "marquage absent" in client.get(visit.get_absolute_url()).content.decode()
