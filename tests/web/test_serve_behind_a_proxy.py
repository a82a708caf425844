"""`kafo serve` behind a TLS proxy (KAFO_HTTPS=1 KAFO_BEHIND_PROXY=1): waitress trusts the
proxy's X-Forwarded-Proto and -For, so an https request is not redirected again (a loop)
and the client's address, not the proxy's, reaches Kafo; anyone else's headers are not
believed."""

import threading
import urllib.request

import pytest
from waitress.server import create_server

from kafo.security.audit import client_ip
from kafo.web.management.commands.serve import waitress_options


def _echo(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ['wsgi.url_scheme']} {environ['REMOTE_ADDR']}".encode()]


def _ask(options, headers) -> str:
    server = create_server(_echo, host="127.0.0.1", port=0, **options)
    stop = threading.Event()

    def serve():  # waitress's own loop, a step at a time, so that it stops cleanly
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        port = server.effective_port
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers=headers)
        return urllib.request.urlopen(request, timeout=10).read().decode()
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "196.200.1.7"}


def test_behind_the_proxy_its_headers_are_believed(settings):
    settings.KAFO_BEHIND_PROXY = True
    settings.KAFO_TRUSTED_PROXY = "127.0.0.1"
    assert _ask(waitress_options(2), FORWARDED) == "https 196.200.1.7"


def test_a_proxy_at_another_address_is_not_believed(settings):
    settings.KAFO_BEHIND_PROXY = True
    settings.KAFO_TRUSTED_PROXY = "10.9.9.9"
    assert _ask(waitress_options(2), FORWARDED) == "http 127.0.0.1"


@pytest.mark.django_db
def test_kafo_answers_an_https_request_from_the_proxy_without_redirecting(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.KAFO_BEHIND_PROXY = True
    headers = {"x-forwarded-proto": "https", "x-forwarded-for": "196.200.1.7"}
    response = client.get("/accounts/login/", headers=headers)
    assert response.status_code == 200
    assert client_ip(response.wsgi_request) == "196.200.1.7"
