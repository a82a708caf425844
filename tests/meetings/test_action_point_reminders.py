"""Each morning the owners of action points overdue or due within a week get one
e-mail listing them; once a day per person, even when the task runs again."""

import datetime

import pytest
from django.core import mail

from kafo.actors.models import Role
from kafo.meetings.models import ActionPoint
from kafo.meetings.tasks import remind_action_points

pytestmark = pytest.mark.django_db


def test_owners_are_reminded_once_a_day(meeting, organisation, user_with_role):
    drc, hi = organisation("DRC"), organisation("HI3")
    editor = user_with_role(Role.PARTNER_EDITOR, drc, username="drc.editeur")
    editor.email = "editeur@drc.example"
    editor.save()
    user_with_role(Role.PARTNER_VIEWER, drc, username="drc.lecteur")  # a viewer: not sent
    today = datetime.date.today()
    ActionPoint.objects.create(meeting=meeting, owner=drc, text="En retard",
                               deadline=today - datetime.timedelta(days=2))  # fmt: skip
    ActionPoint.objects.create(meeting=meeting, owner=drc, text="Bientôt",
                               deadline=today + datetime.timedelta(days=5))  # fmt: skip
    ActionPoint.objects.create(meeting=meeting, owner=drc, text="Plus tard",
                               deadline=today + datetime.timedelta(days=30))  # fmt: skip
    ActionPoint.objects.create(meeting=meeting, owner=hi, text="Sans destinataire",
                               deadline=today)  # fmt: skip
    assert remind_action_points.call() == 1
    [message] = mail.outbox
    assert message.to == ["editeur@drc.example"]
    assert "En retard" in message.body and "Bientôt" in message.body
    assert "Plus tard" not in message.body
    assert remind_action_points.call() == 0 and len(mail.outbox) == 1
