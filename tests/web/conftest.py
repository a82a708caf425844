"""A real browser for the tests that need one: Debian's Chromium through Playwright's
Python API (no browser download)."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KAFO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip


@pytest.fixture
def chromium(end_live_server_sessions):
    """The browser, closed after the test (skipped where Chromium is missing, but in CI)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
    from django.db import connections

    connections.close_all()  # this thread's; the session's end closes the live server's


def new_page(browser, width: int = 1280, height: int = 720, statuses: bool = False):
    """A French page that collects its script errors (and, with `statuses`, every answer
    of 400 or more but 403) in `page.errors`."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height},
                                  accept_downloads=True)  # fmt: skip
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    if statuses:
        page.on("response", lambda r: page.errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.status != 403 else None)  # fmt: skip
    return page


@pytest.fixture
def browser_page(chromium):
    return new_page(chromium)
