"""Each request is one log line with its time; a request that meets a database restarting
waits for it (a read whose connection was cut is run again once), a write never twice."""

import logging

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

from kafo.web.middleware import RequestLogMiddleware, WaitForDatabaseMiddleware


def test_each_request_is_one_line_with_its_time(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="kafo.requests"):
        client.get("/health/")
    lines = [r.getMessage() for r in caplog.records if r.name == "kafo.requests"]
    assert len(lines) == 1
    method, path, status, took, unit, user = lines[0].split()
    assert (method, path, status, unit, user) == ("GET", "/health/", "200", "ms", "-")
    assert float(took) >= 0


@pytest.fixture
def flaky_connection(monkeypatch):
    """The database refuses the first two connections, as during a restart."""
    refusals = [OperationalError("the database system is starting up")] * 2
    original = connection.ensure_connection

    def ensure():
        if refusals:
            raise refusals.pop()
        original()

    monkeypatch.setattr(connection, "ensure_connection", ensure)
    monkeypatch.setattr(connection, "close", lambda: None)
    yield refusals
    refusals.clear()


def test_a_request_waits_for_a_restarting_database(db, settings, flaky_connection):
    settings.KAFO_DATABASE_WAIT = 5
    middleware = WaitForDatabaseMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")
    request.COOKIES["sessionid"] = "a-session"
    assert middleware(request).status_code == 200
    assert flaky_connection == []


def test_an_anonymous_read_does_not_wait(db, settings, flaky_connection):
    settings.KAFO_DATABASE_WAIT = 0
    middleware = WaitForDatabaseMiddleware(lambda request: HttpResponse("ok"))
    assert middleware(RequestFactory().get("/accounts/login/")).status_code == 200


def test_it_fails_after_the_wait(db, settings, flaky_connection):
    settings.KAFO_DATABASE_WAIT = 0
    middleware = WaitForDatabaseMiddleware(lambda request: HttpResponse("ok"))
    with pytest.raises(OperationalError):
        middleware(RequestFactory().post("/"))


@pytest.fixture
def cut_once(settings):
    from tests.web import retry_urls

    settings.ROOT_URLCONF = "tests.web.retry_urls"
    settings.KAFO_DATABASE_WAIT = 5
    retry_urls.CALLS.clear()
    return retry_urls.CALLS


def test_a_read_cut_mid_way_is_run_again_once(db, cut_once, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO, logger="kafo.requests"):
        response = client.get("/cut-once/")
    assert response.status_code == 200 and cut_once == ["GET", "GET"]
    lines = [r.getMessage() for r in caplog.records if r.name == "kafo.requests"]
    assert lines[-1].startswith("GET /cut-once/ 200")


def test_a_write_cut_mid_way_is_not_run_twice(db, cut_once):
    response = Client(raise_request_exception=False).post("/cut-once/")
    assert response.status_code == 500 and cut_once == ["POST"]


def test_another_error_is_not_run_again(db, cut_once):
    response = Client(raise_request_exception=False).get("/bug/")
    assert response.status_code == 500 and cut_once == ["GET"]


def test_the_log_names_the_user(rf, django_user_model, db, caplog):
    user = django_user_model(username="awa")
    request = rf.get("/x/")
    request.user = user
    with caplog.at_level(logging.INFO, logger="kafo.requests"):
        RequestLogMiddleware(lambda r: HttpResponse(status=204))(request)
    assert caplog.records[-1].getMessage().endswith(" awa")
