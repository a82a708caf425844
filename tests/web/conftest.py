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


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files collected once for the run (hashed names, Brotli and gzip)."""
    from django.test.utils import override_settings

    from kafo.web.static_storage import collect_if_changed

    root = tmp_path_factory.mktemp("served") / "static"
    with override_settings(STATIC_ROOT=str(root)):
        collect_if_changed()
    return root


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker, collected_static, end_live_server_sessions):
    """Kafo as `kafo serve` serves it, on the test database, in a thread: static files
    collected and sent by WhiteNoise, every middleware on the way. (pytest-django's live
    server sends static files its own way, uncompressed, and by their plain names: the
    collected names hold only while a module using this server runs.)"""
    from django.db import connections
    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings

    with override_settings(STATIC_ROOT=str(collected_static)):
        shared = {c.alias: c for c in connections.all()
                  if c.vendor == "sqlite" and c.is_in_memory_db()}  # fmt: skip
        for connection in shared.values():
            connection.inc_thread_sharing()
        # The handler as it is (the live server's wraps it to send media files).
        thread = LiveServerThread("localhost", lambda media: media.application, shared)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


def log_in(browser, url: str, username: str, password: str, key: bytes | None = None, **options):
    """A logged-in French context (with a TOTP code made from `key` if asked for);
    `options` go to Playwright's new_context."""
    from django_otp.oath import totp

    context = browser.new_context(locale="fr-FR", **options)
    page = context.new_page()
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_load_state()
    if key is not None and page.locator("#id_code").count():
        page.fill("#id_code", f"{totp(key):06d}")
        page.click("button.primary")
        page.wait_for_load_state()
    assert "/accounts/" not in page.url, page.url
    page.close()
    return context


def wait_for_service_worker(page, seconds: int = 30) -> None:
    """Until the page is served through Kafo's service worker. A page opened before the
    worker was active is controlled once it claims its clients, or after a reload (as a
    browser does on the next visit): the reload is tried once, on a busy machine."""
    selector = "html[data-offline-ready='1']"
    try:
        page.wait_for_selector(selector, timeout=seconds * 1000)
    except Exception:  # Playwright's TimeoutError
        page.reload()
        page.wait_for_selector(selector, timeout=seconds * 1000)
