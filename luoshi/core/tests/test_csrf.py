"""CSRF is enforced: page forms, htmx requests and the session-authenticated API refuse a
write without the token; the token-authenticated API (other systems) needs none."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

READ_ALL_PAGE = "/notifications/read-all/"
READ_ALL_API = "/api/v1/notifications/read-all/"


@pytest.fixture
def browser(users, now) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["office"])
    return client


def page_token(client: Client, path: str = "/notifications/") -> str:
    found = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(path).content.decode()
    )
    assert found is not None
    return found.group(1)


def test_it_refuses_a_page_form_without_the_token(browser) -> None:
    refused = browser.post(READ_ALL_PAGE)
    assert refused.status_code == 403
    assert "页面已过期" in refused.content.decode()
    forged = browser.post(READ_ALL_PAGE, {"csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403
    token = page_token(browser)
    assert browser.post(READ_ALL_PAGE, {"csrfmiddlewaretoken": token}).status_code == 302


def test_it_sends_the_token_with_every_htmx_request(browser) -> None:
    """base.html puts the token in hx-headers, so htmx posts carry X-CSRFToken."""
    page = browser.get("/").content.decode()
    found = re.search(r"<body hx-headers='([^']+)'", page)
    assert found is not None
    token = json.loads(html.unescape(found.group(1)))["X-CSRFToken"]
    ok = browser.post(READ_ALL_PAGE, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert ok.status_code == 302


def test_it_refuses_the_session_api_without_the_token(browser) -> None:
    refused = browser.post(READ_ALL_API)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    token = page_token(browser)
    assert browser.post(READ_ALL_API, headers={"X-CSRFToken": token}).status_code == 200


def test_it_needs_no_csrf_token_with_an_api_token(users, now) -> None:
    out = io.StringIO()
    call_command("api_token", "office", stdout=out, stderr=io.StringIO())
    system = Client(enforce_csrf_checks=True)
    answer = system.post(READ_ALL_API, headers={"Authorization": f"Token {out.getvalue().strip()}"})
    assert answer.status_code == 200
    assert answer.json() == {"marked": 0}


def test_it_puts_the_token_in_the_login_form_and_checks_it(users) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    posted = client.post("/accounts/login/", {"username": "office", "password": "Luoshi@2026"})
    assert posted.status_code == 403
    assert "_auth_user_id" not in client.session
