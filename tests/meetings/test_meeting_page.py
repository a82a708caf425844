"""A meeting's page: the leads keep its attendance (a list sent once from the outbox),
decisions linked to what they are about, action points; others read it."""

import uuid

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.meetings.models import ActionPoint, Attendance, Decision

pytestmark = pytest.mark.django_db


def _people(*rows, key=None) -> dict:
    data = {"people-TOTAL_FORMS": str(len(rows)), "people-INITIAL_FORMS": "0",
            "people-MIN_NUM_FORMS": "0", "people-MAX_NUM_FORMS": "200"}  # fmt: skip
    for i, (name, org, sex) in enumerate(rows):
        data.update({f"people-{i}-name": name, f"people-{i}-organisation_name": org,
                     f"people-{i}-sex": sex, f"people-{i}-role": "participant"})  # fmt: skip
    if key:
        data["client_uuid"] = key
    return data


def test_an_attendance_list_from_the_outbox_is_taken_once(client, coordinator, meeting):
    client.force_login(coordinator)
    url = reverse("meetings:attendance_add", args=[meeting.pk])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-outbox="' in page and url in page
    data = _people(("Awa Diarra", "HI", "f"), ("Moussa Koné", "DRC", "m"), ("", "", ""),
                   key=str(uuid.uuid4()))  # fmt: skip
    first = client.post(url, data, HTTP_X_KAFO_OUTBOX="1")
    again = client.post(url, data, HTTP_X_KAFO_OUTBOX="1")
    assert first.json()["status"] == "created" and again.json()["status"] == "duplicate"
    assert sorted(Attendance.objects.values_list("name", flat=True)) == [
        "Awa Diarra",
        "Moussa Koné",
    ]
    assert Attendance.objects.get(name="Awa Diarra").organisation.acronym == "HI"


def test_a_decision_links_its_subject_or_says_it_is_unknown(client, coordinator, meeting):
    client.force_login(coordinator)
    url = reverse("meetings:decision_add", args=[meeting.pk])
    client.post(url, {"text": "Adopter l'analyse des lacunes", "subject_kind": "analysis",
                      "subject_ref": "gaps"})  # fmt: skip
    client.post(url, {"text": "Engagement inconnu", "subject_kind": "commitment",
                      "subject_ref": "999"}, HTTP_ACCEPT_LANGUAGE="fr")  # fmt: skip
    assert list(Decision.objects.values_list("text", "subject_id")) == [
        ("Adopter l'analyse des lacunes", "analysis:gaps")
    ]


def test_an_action_point_is_set_for_an_organisation(client, coordinator, meeting, organisation):
    client.force_login(coordinator)
    drc = organisation("DRC")
    client.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"text": "Envoyer le plan de mars", "owner": drc.pk, "deadline": "2025-03-31"},
    )
    assert ActionPoint.objects.get().owner == drc
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Envoyer le plan de mars" in page


def test_it_checks_access(client, user_with_role, meeting, organisation):
    viewer = user_with_role(Role.PARTNER_VIEWER, organisation("DRC"), username="lecteur")
    client.force_login(viewer)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert 'data-outbox="' not in client.get(meeting.get_absolute_url()).content.decode()
    url = reverse("meetings:attendance_add", args=[meeting.pk])
    assert client.post(url, _people(("Awa", "HI", "f"))).status_code == 403
    # An editor of a co-lead organisation keeps the lists.
    co_lead = meeting.body.co_leads.get()
    client.force_login(user_with_role(Role.PARTNER_EDITOR, co_lead, username="hi.editeur"))
    assert client.post(url, _people(("Awa", "HI", "f"))).status_code == 302
    assert Attendance.objects.count() == 1


def test_the_analysis_names_are_the_registry_s():
    from kafo.coordination.registry import ANALYSES
    from kafo.meetings.forms import ANALYSIS_NAMES

    assert set(ANALYSIS_NAMES) == set(ANALYSES)


def test_a_body_without_a_lead_is_listed(client, coordinator):
    from kafo.meetings.models import CoordinationBody

    CoordinationBody.objects.create(name="Groupe sans chef de file", kind="working_group")
    client.force_login(coordinator)
    page = client.get(reverse("meetings:bodies"))
    assert page.status_code == 200 and "Groupe sans chef de file" in page.content.decode()
