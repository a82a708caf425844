"""A session saved while the database restarts waits for it, instead of ending the
person's session; a session deleted meanwhile (a logout elsewhere) is not saved again."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection

from kafo.security.sessions import SessionStore


@pytest.fixture
def first_save_fails(monkeypatch):
    saves = []
    original = DatabaseSessionStore.save

    def save(self, must_create=False):
        saves.append(must_create)
        if len(saves) == 1:
            raise UpdateError
        return original(self, must_create=must_create)

    monkeypatch.setattr(DatabaseSessionStore, "save", save)
    return saves


def test_a_lost_connection_is_waited_for(db, settings, monkeypatch, first_save_fails):
    settings.KAFO_DATABASE_WAIT = 5
    usable = iter([False])
    monkeypatch.setattr(connection, "is_usable", lambda: next(usable, True))
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's own connection
    session = SessionStore()
    session["k"] = "v"
    session.save()
    assert first_save_fails[:2] == [False, False]  # failed, then saved after the wait
    assert SessionStore(session.session_key)["k"] == "v"


def test_a_session_deleted_meanwhile_is_not_saved_again(db, settings, first_save_fails):
    settings.KAFO_DATABASE_WAIT = 5
    connection.ensure_connection()
    session = SessionStore()
    session["k"] = "v"
    with pytest.raises(UpdateError):
        session.save()
    assert len(first_save_fails) == 1


def test_it_is_the_session_engine(settings):
    assert settings.SESSION_ENGINE == "kafo.security.sessions"
