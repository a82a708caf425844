"""A message a task sends is recorded, so that the task run again sends it no more."""

import contextlib

from kafo.tasks.messages import send_once
from kafo.tasks.models import SentMessage


def test_a_message_is_sent_once_per_key(db):
    sent = []
    assert send_once("notices:2030-03-02:7", lambda: sent.append(1))
    assert not send_once("notices:2030-03-02:7", lambda: sent.append(2))
    assert send_once("notices:2030-03-03:7", lambda: sent.append(3))
    assert sent == [1, 3] and SentMessage.objects.count() == 2


def test_a_failed_sending_is_not_recorded(db):
    def refuse():
        raise ConnectionError("the mail server did not answer")

    with contextlib.suppress(ConnectionError):
        send_once("deadlines:2030-03-02:7", refuse)
    assert not SentMessage.objects.exists()
    assert send_once("deadlines:2030-03-02:7", lambda: None)
