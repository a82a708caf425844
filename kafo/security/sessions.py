"""Django's database sessions, whose save at the end of each request waits for a
database that restarts instead of ending the person's session (Django answers 400,
"session interrupted", when that save fails)."""

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError, connection

from kafo.database import wait_for_database


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except (UpdateError, DatabaseError):  # UpdateError hides a lost connection too
            lost = connection.connection is None or not connection.is_usable()
            if not lost or not settings.KAFO_DATABASE_WAIT:
                raise  # a session deleted meanwhile (a logout elsewhere): Django's answer
            connection.close()
            wait_for_database(settings.KAFO_DATABASE_WAIT)
            super().save(must_create=must_create)
