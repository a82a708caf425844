"""/health/ tells a load balancer or a monitor whether the database answers and at least
one worker beats."""

import datetime

from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from kafo.tasks.models import WorkerBeat
from kafo.tasks.worker import Heartbeat
from tests.tasks.conftest import DATABASE_TASKS


def test_it_is_ok_with_the_database_and_a_live_worker(client, settings, db):
    settings.TASKS = DATABASE_TASKS
    Heartbeat("w1", ["*"]).beat()
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "workers": 1}


def test_it_fails_when_no_worker_beats(client, settings, db):
    settings.TASKS = DATABASE_TASKS
    Heartbeat("w1", ["*"]).beat()
    WorkerBeat.objects.update(beat_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["workers"] == 0


def test_it_fails_when_the_database_does_not_answer(client, settings, db, monkeypatch):
    settings.KAFO_DATABASE_WAIT = 0

    class Refusing:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("kafo.web.views.connection", Refusing())
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["database"] == "OperationalError"


def test_it_checks_access(client, db):
    # Open to all (a monitor has no account), and it tells nothing but health.
    response = client.get(reverse("health"))
    assert response.status_code == 200 and set(response.json()) <= {"status", "database",
                                                                     "workers"}  # fmt: skip
