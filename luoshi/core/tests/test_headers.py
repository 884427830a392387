"""Security response headers: the CSP and its companions on every kind of response, HSTS
only behind HTTPS, and templates that need nothing the policy forbids."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from luoshi.core.security_headers import render_policy

pytestmark = pytest.mark.django_db

LUOSHI = Path(__file__).resolve().parents[2]
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Settings that LUOSHI_HTTPS switches (see settings.py).
HTTPS_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
)


def directives(header: str) -> dict[str, str]:
    pairs = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in pairs}


def assert_security_headers(response) -> None:
    csp = directives(response["Content-Security-Policy"])
    for name, value in EXPECTED_CSP.items():
        assert csp[name] == value, name
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_it_sends_the_headers_on_pages_api_errors_and_static_files(client, users, now) -> None:
    anonymous = [client.get("/accounts/login/"), client.get("/public/")]
    client.force_login(users["office"])
    signed_in = [
        client.get("/"),
        client.get("/ledger/"),
        client.get("/api/v1/me/"),
        client.get("/ledger/999999/"),
        client.get("/accounts/users/"),  # 403 for the office
        client.get("/static/luoshi/luoshi.js"),
    ]
    statuses = [r.status_code for r in anonymous + signed_in]
    assert statuses == [200, 200, 200, 200, 200, 404, 403, 200]
    for response in anonymous + signed_in:
        assert_security_headers(response)


def test_it_serves_the_api_docs_without_inline_code(client, users, now) -> None:
    client.force_login(users["office"])
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert_security_headers(page)
    html = page.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "<style" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_it_lets_a_view_widen_the_policy_for_its_own_response_only() -> None:
    widened = directives(render_policy({"style-src": ["'unsafe-inline'"]}))
    assert widened["style-src"] == "'self' 'unsafe-inline'"
    assert directives(render_policy())["style-src"] == "'self'"


def test_it_keeps_templates_free_of_what_the_policy_refuses() -> None:
    """Inline code would be refused by the browser; catch it here, not in production."""
    forbidden = {
        "inline script": re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))"),
        "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
        "inline style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
        "style element": re.compile(r"<style[\s>]", re.I),
        "javascript: URL": re.compile(r"javascript:", re.I),
    }
    found = []
    for path in sorted(LUOSHI.rglob("templates/**/*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)
        name = path.relative_to(LUOSHI)
        found += [f"{name}: {what}" for what, rx in forbidden.items() if rx.search(text)]
    assert found == []


def production_settings(monkeypatch, tmp_path, **env: str) -> dict[str, object]:
    """settings.py evaluated under a production environment."""
    for name in ("DATABASE_URL", "LUOSHI_DEMO", "LUOSHI_DEBUG", "LUOSHI_HTTPS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LUOSHI_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 30 + "3xQ9-vT7_pL2mN8@rS4#wY6zB1cD5fG0")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(LUOSHI / "settings.py"))


def test_it_sends_hsts_only_behind_https(monkeypatch, tmp_path) -> None:
    assert not settings.SECURE_HSTS_SECONDS  # plain-http development: no HSTS, no redirect
    dev = Client()
    assert "Strict-Transport-Security" not in dev.get("/accounts/login/", secure=True)
    assert dev.get("/accounts/login/").status_code == 200

    https = production_settings(monkeypatch, tmp_path, LUOSHI_HTTPS="1")
    with override_settings(**{name: https[name] for name in HTTPS_SETTINGS}):
        browser = Client()
        redirected = browser.get("/accounts/login/")
        assert redirected.status_code == 301
        assert redirected["Location"] == "https://testserver/accounts/login/"
        assert "Strict-Transport-Security" not in redirected
        page = browser.get("/accounts/login/", secure=True)
        assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert page.cookies["csrftoken"]["secure"]
        # Behind the reverse proxy: the proxy's header says the browser used https.
        proxied = browser.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
        assert proxied.status_code == 200 and "Strict-Transport-Security" in proxied

    plain = production_settings(monkeypatch, tmp_path)
    assert not plain["SECURE_HSTS_SECONDS"] and not plain["SESSION_COOKIE_SECURE"]
