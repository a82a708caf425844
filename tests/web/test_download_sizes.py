"""Every download link shows its file's size: the expected size ("≈") of a file made at
the request, learnt from the files made before, and the exact size of a file written."""

import re

import pytest
from django.urls import reverse

from kafo.security import download_sizes

pytestmark = pytest.mark.django_db

SIZE = re.compile(r'<small class="size">\(([^)]*)\)</small>')


def _links(html: str) -> list[str]:
    return re.findall(r"<a [^>]*\bdownload\b[^>]*>.*?</a>", html, flags=re.S)


def test_every_download_link_of_the_demo_shows_a_size(demo_loaded, client):
    from django.contrib.auth import get_user_model

    from tests.web.test_page_weight import _pages

    client.force_login(get_user_model().objects.get(username="coordination"))
    pages = [*_pages(), reverse("interop:upload"), reverse("reports:profile")]
    seen, bare = 0, []
    for path in pages:
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        for link in _links(html):
            seen += 1
            if not SIZE.search(link):
                bare.append((path, link[:120]))
    assert seen >= 20 and bare == []


def _size_shown(client, url: str, label: str) -> str:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    [link] = [a for a in _links(html) if f">{label} <small" in a]
    return SIZE.search(link).group(1)


def test_a_list_export_size_is_learnt_from_the_files_made(client, demo_loaded):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    cache.clear()
    client.force_login(get_user_model().objects.get(username="coordination"))
    url = reverse("response:activities")
    first = _size_shown(client, url, "CSV")
    assert first.startswith("≈")  # a typical figure: no CSV was made yet
    answer = client.get(reverse("response:activity_export"))
    made = len(b"".join(answer.streaming_content) if answer.streaming else answer.content)
    learnt = download_sizes.estimate("response:activity_export", "csv",
                                     answer.wsgi_request.kafo_download[1])  # fmt: skip
    assert abs(learnt - made) <= 1  # the same rows: the same size, to the byte
    shown = _size_shown(client, url, "CSV")
    assert shown != first and shown.startswith("≈")


def test_a_map_layer_says_what_its_downloads_weigh(client, demo_loaded):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="coordination"))
    answer = client.get(reverse("mineaction:layer", args=["hazard"]))
    sizes = dict(part.strip().split("=") for part in answer["X-Kafo-Download-Sizes"].split(";"))
    assert set(sizes) == {"geojson", "gpkg"} and all(int(v) > 0 for v in sizes.values())


def test_a_written_export_shows_its_exact_size(tmp_path, settings):
    from kafo.web.templatetags.downloads import file_size

    assert file_size(1536) == '<small class="size">(1,5\xa0Kio)</small>'
    assert "≈" in download_sizes.size_label(1536)


def test_a_round_size_reads_without_a_decimal_zero():
    from kafo.security.download_sizes import size_label

    assert "5,0" not in size_label(5 * 1024) and "5.0" not in size_label(5 * 1024)
    assert re.search(r"5\s", size_label(5 * 1024))
    assert re.search(r"1[.,]2\s", size_label(int(1.2 * 1024 * 1024), exact=True))
