"""Static files are collected under hashed names with Brotli and gzip beside them, sent
compressed as the browser asks, and cached for good; a page names the hashed files."""

import json
import re

import brotli
import pytest
from django.test import Client, override_settings

from kafo.web.static_storage import collect_if_changed


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("collected") / "static"
    with override_settings(STATIC_ROOT=str(root)):
        assert collect_if_changed() is True
        yield root


def test_files_are_collected_hashed_and_precompressed(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    hashed = manifest["kafo/kafo.css"]
    assert re.fullmatch(r"kafo/kafo\.[0-9a-f]{12}\.css", hashed)
    assert (collected / (hashed + ".br")).exists() and (collected / (hashed + ".gz")).exists()
    assert (
        brotli.decompress((collected / (hashed + ".br")).read_bytes())
        == (collected / hashed).read_bytes()
    )
    # Leaflet's images named in its CSS are rewritten to their hashed names.
    css = (collected / manifest["leaflet/leaflet.css"]).read_text()
    assert re.search(r"url\(\"?images/layers\.[0-9a-f]{12}\.png", css)


def test_a_second_start_does_not_collect_again(collected):
    assert collect_if_changed() is False


def test_a_hashed_file_is_sent_in_brotli_and_immutable(collected, demo_geography):
    client = Client()  # a new one: WhiteNoise lists the collected files when it starts
    page = client.get("/accounts/login/").content.decode()
    css = re.search(r'href="(/static/kafo/kafo\.[0-9a-f]{12}\.css)"', page)
    assert css, "the page names the hashed stylesheet"
    answer = client.get(css.group(1), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert answer["Content-Encoding"] == "br"
    assert "immutable" in answer["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", answer["Cache-Control"]).group(1)) >= 365 * 86400
    body = brotli.decompress(b"".join(answer.streaming_content))
    assert body == (collected / css.group(1).removeprefix("/static/")).read_bytes()
    gzipped = client.get(css.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"


def test_before_collection_pages_name_the_files_as_they_are(tmp_path, client, demo_geography):
    (tmp_path / "empty").mkdir()
    with override_settings(STATIC_ROOT=str(tmp_path / "empty")):
        page = Client().get("/accounts/login/").content.decode()
    assert 'href="/static/kafo/kafo.css"' in page
