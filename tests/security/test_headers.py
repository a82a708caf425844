"""A hardened web: CSP without inline script, frame denial, CSRF on every form,
HSTS and secure cookies over HTTPS, and `kafo check --deploy` clean in production."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kafo.actors.models import Role

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "KAFO_SECRET_KEY": secrets.token_urlsafe(50),
    "KAFO_HTTPS": "1",
    "KAFO_BEHIND_PROXY": "1",
    "KAFO_ALLOWED_HOSTS": "kafo.example.org",
}


def test_pages_carry_a_strict_content_security_policy(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_login_page_is_protected_too(plain_client, db):
    response = plain_client.get("/accounts/login/")
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_style_or_event_handler():
    offenders = []
    for template in (ROOT / "kafo").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        inline_script = re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", text)
        handler = re.search(r"\son[a-z]+=", text)
        style = re.search(r"<style|\sstyle=", text)
        if inline_script or handler or style:
            offenders.append(template.relative_to(ROOT))
    assert offenders == []


def _views(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, pattern.callback


def test_no_view_is_exempt_from_csrf():
    # The API's views are exempt at Django's layer because Django REST framework checks
    # CSRF itself for a session login (a token needs no cookie, hence no CSRF).
    # The field intake webhook is called by a server (KoBo's REST service), without a
    # session or a cookie: it proves itself with a shared secret, and only asks for a pull.
    exempt = [
        name
        for name, view in _views()
        if getattr(view, "csrf_exempt", False) and not hasattr(view, "cls")
    ]
    assert exempt == ["intake_webhook"]


def test_the_api_refuses_a_session_post_without_the_csrf_token(db, user_with_role):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    response = client.post("/api/v1/activities/", {}, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_a_post_without_the_csrf_token_is_refused(db, user_with_role):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.post("/accounts/logout/").status_code == 403


def _kafo(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "kafo", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("KAFO_")},
             "KAFO_DATA_DIR": env.pop("KAFO_DATA_DIR"), **env},
    )  # fmt: skip


def test_check_deploy_passes_with_the_production_settings(tmp_path):
    result = _kafo(
        "check", "--deploy", "--fail-level", "WARNING",
        env={**PRODUCTION, "KAFO_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https_or_a_secret_from_the_environment(tmp_path):
    result = _kafo("check", "--deploy", env={"KAFO_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "kafo.E001" in result.stderr + result.stdout


@pytest.mark.parametrize("flag", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"])
def test_https_makes_cookies_secure_and_sends_hsts(tmp_path, flag):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        f"print(s.{flag}, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KAFO_")},
        **PRODUCTION,
        "KAFO_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kafo.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.stdout.split() == ["True", "31536000", "True"], result.stderr
