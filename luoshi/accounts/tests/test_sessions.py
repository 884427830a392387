"""Server-side session limits: idle timeout, absolute lifetime, and a logout that kills the
session in the store."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session

from conftest import DEFAULT_NOW
from luoshi.accounts import services
from luoshi.accounts.sessions import IDLE_MESSAGE
from luoshi.accounts.tests.helpers import audit_events, post_login
from luoshi.audit.events import Event
from luoshi.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
POLL = {"HTTP_HX_REQUEST": "true"}


def at(minutes: float):
    return time_machine.travel(DEFAULT_NOW + timedelta(minutes=minutes), tick=False)


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_it_ends_a_session_idle_for_30_minutes(client, users, now) -> None:
    with at(0):
        client.force_login(users["liaison_a"])
        assert signed_in(client)
        key = client.session.session_key
    with at(29):
        assert signed_in(client)  # activity at minute 29 moves the idle clock
    with at(58):
        assert signed_in(client)
    with at(88.5):
        r = client.get("/tasks/?q=1")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/tasks/%3Fq%3D1"
    assert not Session.objects.filter(session_key=key).exists()
    with at(88.5):
        page = client.get(r["Location"]).content.decode()
    assert IDLE_MESSAGE in page
    [expired] = audit_events(Event.SESSION_EXPIRED)
    assert expired.username == "liaison_a"
    assert "30 分钟" in expired.detail


def test_it_does_not_count_the_bell_as_activity(client, users, now) -> None:
    with at(0):
        client.force_login(users["liaison_a"])
        assert signed_in(client)
    for minute in range(1, 31):
        with at(minute):
            assert client.get("/notifications/unread/", **POLL).status_code == 200
    with at(30.5):
        r = client.get(
            "/notifications/unread/", **POLL, HTTP_HX_CURRENT_URL="http://testserver/tasks/"
        )
    # htmx is told to leave the page for the login page, back to where it was.
    assert r["HX-Redirect"] == "/accounts/login/?next=/tasks/"
    with at(31):
        assert not signed_in(client)
    # Without the htmx header the same address is ordinary activity.
    with at(40):
        client.force_login(users["liaison_a"])
    with at(65):
        client.get("/notifications/unread/")
    with at(90):
        assert signed_in(client)


def test_it_ends_a_session_after_12_hours_however_busy(client, users, now) -> None:
    with at(0):
        client.force_login(users["liaison_a"])
    for minute in range(20, 12 * 60, 20):
        with at(minute):
            assert signed_in(client)
    with at(12 * 60 + 1):
        r = client.get("/")
    assert r.status_code == 302
    [expired] = audit_events(Event.SESSION_EXPIRED)
    assert expired.detail == "会话超时：登录超过 12 小时"
    with at(12 * 60 + 1):
        page = client.get("/accounts/login/").content.decode()
    assert "登录已超过 12 小时，已自动退出，请重新登录。" in page


def test_it_follows_the_policy_limits(client, users, now) -> None:
    services.policy_update(users["secadmin"], idle_minutes=10, absolute_hours=1)
    with at(0):
        client.force_login(users["liaison_a"])
        assert signed_in(client)
    with at(11):
        assert not signed_in(client)
    with at(20):
        client.force_login(users["liaison_a"])
    for minute in (29, 38, 47, 56, 65, 74, 79):
        with at(minute):
            assert signed_in(client)
    with at(81):  # an hour after logging in, busy or not
        assert not signed_in(client)


def test_it_answers_an_expired_api_session_with_401(client, users, now) -> None:
    with at(0):
        client.force_login(users["liaison_a"])
        assert client.get("/api/v1/me/").status_code == 200
    with at(31):
        r = client.get("/api/v1/me/")
    assert r.status_code == 401
    assert r.json()["code"] == "session_expired"


def test_it_restarts_the_clocks_on_a_new_login(client, users, now) -> None:
    with at(0):
        assert post_login(client, "liaison_a", DEMO_PASSWORD).status_code == 302
    with at(25):
        assert signed_in(client)
    with at(12 * 60 - 5):
        client.logout()
        assert post_login(client, "liaison_a", DEMO_PASSWORD).status_code == 302
    with at(12 * 60 + 5):
        assert signed_in(client)


def test_it_destroys_the_session_on_logout(client, users, now) -> None:
    assert post_login(client, "liaison_a", DEMO_PASSWORD).status_code == 302
    cookie = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=cookie).exists()
    assert client.get("/accounts/logout/").status_code == 405  # only a POST logs out
    r = client.post("/accounts/logout/")
    assert r.status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()
    # Replaying the old cookie gets nobody's session.
    client.cookies["sessionid"] = cookie
    r = client.get("/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/me/").status_code in (401, 403)
