"""An import stopped by the database (a lost connection) says so, and that nothing was
written; it is not reported as a fault of the file."""

from django.db import OperationalError

from kafo.interop.tasks import stop_reason


def test_a_lost_connection_is_reported_as_the_database(english):
    reason = stop_reason(OperationalError("server closed the connection unexpectedly"))
    assert "database" in reason and "nothing was written" in reason
    assert "file" not in reason.split(":")[0]


def test_another_error_keeps_its_own_message():
    assert "bad cell" in stop_reason(ValueError("bad cell"))
