"""The action points board: overdue first, grouped by owner; the completion rate and
the median delay computed as written in the definitions (checked by hand here); an
action point is done only with its evidence, by its owner or the body's leads."""

import datetime

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.meetings.models import ActionPoint
from kafo.meetings.services import action_figures

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)


def _action(meeting, owner, deadline, status="open", done_on=None, text="Partager la carte"):
    return ActionPoint.objects.create(meeting=meeting, owner=owner, text=text, deadline=deadline,
                                      status=status, done_on=done_on)  # fmt: skip


def test_the_figures_as_defined(meeting, organisation):
    drc = organisation("DRC")
    actions = [
        _action(meeting, drc, datetime.date(2025, 5, 1), "done", datetime.date(2025, 5, 11)),  # +10
        _action(meeting, drc, datetime.date(2025, 5, 10), "done", datetime.date(2025, 5, 8)),  # -2
        _action(meeting, drc, datetime.date(2025, 5, 20)),  # overdue
        _action(meeting, drc, datetime.date(2025, 5, 21), "dropped"),  # not counted
        _action(meeting, drc, datetime.date(2025, 7, 1)),  # not due yet
        _action(meeting, drc, datetime.date(2025, 7, 2), "done", datetime.date(2025, 5, 30)),  # -33
    ]
    figures = action_figures(actions, TODAY)
    # Due by 1 June, dropped aside: three; two of them done.
    assert (figures.due, figures.done_when_due) == (3, 2)
    assert figures.completion_rate == pytest.approx(2 / 3)
    assert figures.median_delay_days == -2  # of +10, -2 and -33
    assert figures.overdue == 1


def test_overdue_first_by_owner(client, coordinator, meeting, organisation):
    drc, hi = organisation("DRC"), organisation("HI")
    today = datetime.date.today()
    _action(meeting, hi, today + datetime.timedelta(days=3), text="Action à venir de HI")
    _action(meeting, drc, today - datetime.timedelta(days=3), text="Action en retard de DRC")
    client.force_login(coordinator)
    page = client.get(reverse("meetings:actions")).content.decode()
    assert page.index("Action en retard de DRC") < page.index("Action à venir de HI")
    one = client.get(reverse("meetings:actions") + f"?organisation={hi.pk}").content.decode()
    assert "Action à venir de HI" in one and "Action en retard de DRC" not in one
    assert client.get(reverse("meetings:actions") + "?organisation=x").status_code == 404


def test_done_needs_its_evidence_and_its_owner(client, user_with_role, meeting, organisation):
    drc = organisation("DRC")
    action = _action(meeting, drc, datetime.date(2025, 5, 1))
    url = reverse("meetings:action_update", args=[action.pk])
    other = user_with_role(Role.PARTNER_EDITOR, organisation("ACTED"), username="autre")
    client.force_login(other)
    assert client.post(url, {"status": "done", "evidence": "x"}).status_code == 403
    owner = user_with_role(Role.PARTNER_EDITOR, drc, username="proprietaire")
    client.force_login(owner)
    client.post(url, {"status": "done", "evidence": ""})
    action.refresh_from_db()
    assert action.status == "open"  # refused: no evidence
    client.post(url, {"status": "done", "evidence": "Carte partagée le 2 mai (lien)"})
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == datetime.date.today()


def test_an_update_goes_back_to_this_site_only(client, coordinator, meeting, organisation):
    action = _action(meeting, organisation("DRC"), datetime.date(2025, 5, 1))
    client.force_login(coordinator)
    url = reverse("meetings:action_update", args=[action.pk])
    answer = client.post(url, {"status": "dropped", "next": "https://example.org/phish"})
    assert answer["Location"] == reverse("meetings:actions")
    answer = client.post(url, {"status": "open", "next": meeting.get_absolute_url()})
    assert answer["Location"] == meeting.get_absolute_url()
