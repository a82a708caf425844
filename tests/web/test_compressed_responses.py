"""Pages, JSON and GeoJSON go compressed to a client that accepts it (Brotli when asked,
gzip otherwise), and read back by Python's gzip module and Google's brotli as the same
bytes; files that are compressed already (PDF, Excel) and clients that do not ask get
them as they are."""

import gzip
import re

import brotli
import pytest
from django.urls import reverse

from kafo.web.middleware import accepts_brotli


def same(body: bytes) -> bytes:
    """The page but for what differs at each request (the CSP nonce, the CSRF token)."""
    return re.sub(rb'(nonce|value|content)="[A-Za-z0-9+/=_-]{16,}"', b"", body)


def test_a_page_is_gzipped_and_reads_back_the_same(client, demo_geography):
    plain = client.get(reverse("situation"))
    packed = client.get(reverse("situation"), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert same(gzip.decompress(packed.content)) == same(plain.content)
    assert len(packed.content) < len(plain.content) / 3


def test_geojson_is_gzipped(client, mine_action, coordinator):
    import json

    mine_action.hazard(coordinator)
    client.force_login(coordinator)
    url = reverse("mineaction:layer", args=["hazard"])
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    content = b"".join(packed.streaming_content) if packed.streaming else packed.content
    assert json.loads(gzip.decompress(content))["type"] == "FeatureCollection"


def test_files_compressed_already_pass_as_they_are(client, coordinator, mine_action):
    from kafo.reports import treaty

    treaty.report_for("apmbc", 2024)
    client.force_login(coordinator)
    answer = client.get(reverse("reports:article7_file", args=["apmbc", 2024, "xlsx"]),
                        HTTP_ACCEPT_ENCODING="gzip")  # fmt: skip
    assert "Content-Encoding" not in answer and answer.content.startswith(b"PK")


def test_a_page_goes_in_brotli_to_a_browser_that_asks(client, demo_geography):
    plain = client.get(reverse("situation"))
    packed = client.get(reverse("situation"), HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert packed["Content-Encoding"] == "br" and "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content)
    assert same(brotli.decompress(packed.content)) == same(plain.content)
    gzipped = client.get(reverse("situation"), HTTP_ACCEPT_ENCODING="gzip")
    assert len(packed.content) < len(gzipped.content)


def test_a_streamed_export_goes_in_brotli_and_reads_back_whole(client, coordinator, mine_action):
    client.force_login(coordinator)
    url = reverse("response:activity_export") + "?format=csv"
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="br")
    body = b"".join(plain.streaming_content) if plain.streaming else plain.content
    assert packed["Content-Encoding"] == "br"
    streamed = b"".join(packed.streaming_content) if packed.streaming else packed.content
    assert brotli.decompress(streamed).split(b"\n", 1)[0] == body.split(b"\n", 1)[0]


@pytest.mark.parametrize(
    ("header", "takes"),
    [("gzip, deflate, br", True), ("br;q=0.5", True), ("BR", True), ("br;q=0", False),
     ("gzip", False), ("brotli", False), ("gzip;q=1, br;q=0.0", False), ("", False)],
)  # fmt: skip
def test_brotli_is_sent_only_when_asked(header, takes):
    assert accepts_brotli(header) is takes
