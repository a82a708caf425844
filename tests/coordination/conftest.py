"""Fixtures of the analyses' tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def cached(settings, transactional_db, tmp_path):
    """The analyses' answers kept (the tests elsewhere compute them each time), in a cache
    that starts and ends empty, and their tables in a folder of the test's own. These
    tests commit: on PostgreSQL the data version moves at commit."""
    settings.KAFO_ANALYSIS_CACHE = True
    settings.DATA_DIR = tmp_path / "data"
    cache.clear()
    yield
    cache.clear()
