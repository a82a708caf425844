"""Waiting for a database that restarts, for the requests and the sessions."""

import time

from django.db import InterfaceError, OperationalError, connection


def wait_for_database(seconds: float) -> None:
    """Connect, trying again for up to `seconds` while the database does not answer (a
    restart takes about a second); the last error is raised after that."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection.ensure_connection()
            return
        except (OperationalError, InterfaceError):
            connection.close()
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
