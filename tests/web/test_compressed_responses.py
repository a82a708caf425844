"""Pages, JSON and GeoJSON go gzipped to a client that accepts it, and read back by
Python's gzip module as the same bytes; files that are compressed already (PDF, Excel)
and clients that do not ask get them as they are."""

import gzip
import re

from django.urls import reverse


def test_a_page_is_gzipped_and_reads_back_the_same(client, demo_geography):
    plain = client.get(reverse("situation"))
    packed = client.get(reverse("situation"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]

    # The same page but for what differs at each request (the CSP nonce, the CSRF token).
    def same(body: bytes) -> bytes:
        return re.sub(rb'(nonce|value|content)="[A-Za-z0-9+/=_-]{16,}"', b"", body)

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
