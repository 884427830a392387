"""Logging in with a second factor through the real login page (Django's test client)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from luoshi.accounts.security_models import LoginAttempt
from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.mfa import pending, totp
from luoshi.mfa.models import TotpDevice
from luoshi.mfa.tests.conftest import PASSWORD, code, enrol, fresh_step

pytestmark = pytest.mark.django_db
VERIFY = "/accounts/mfa/verify/"
ENROL = "/accounts/mfa/enrol/"


def _password(client, username: str, next_url: str = "") -> Any:
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


def _login_page_text(client) -> str:
    return client.get("/accounts/login/").content.decode()


def test_it_asks_a_bound_user_for_a_code_before_logging_in(client, office_codes, office) -> None:
    r = _password(client, "office", next_url="/calendar/")
    assert r.status_code == 302 and r["Location"] == VERIFY
    assert not _logged_in(client)
    # No page is reachable half-way: the person is simply not logged in.
    assert client.get("/").status_code == 302 and client.get("/").url.startswith("/accounts/login/")
    assert client.get("/accounts/mfa/").status_code == 302
    assert client.get("/api/v1/matters/").status_code == 403
    page = client.get(VERIFY)
    assert page.status_code == 200 and "动态口令验证" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    key_pending = client.session.session_key

    r = client.post(VERIFY, {"code": code()})
    assert r.status_code == 302 and r["Location"] == "/calendar/"
    assert _logged_in(client) and client.session[SESSION_KEY] == str(office.pk)
    assert client.session.session_key != key_pending  # rotated by login()
    assert pending.KEY not in client.session
    assert AuditRecord.objects.filter(event=Event.LOGIN, user_id=office.pk).exists()


def test_it_logs_an_optional_user_in_with_the_password_alone(client, users, now) -> None:
    r = _password(client, "liaison_a")
    assert r.status_code == 302 and r["Location"] == "/"
    assert _logged_in(client)


def test_it_asks_an_optional_user_who_enrolled_for_a_code(client, users, now) -> None:
    enrol(users["liaison_a"])
    fresh_step(users["liaison_a"])
    assert _password(client, "liaison_a")["Location"] == VERIFY
    assert client.post(VERIFY, {"code": code()})["Location"] == "/"
    assert _logged_in(client)


def test_it_drops_the_pending_login_after_five_wrong_codes(client, office_codes) -> None:
    _password(client, "office")
    r = client.post(VERIFY, {"code": "12345"})  # a typo, not a guess: not counted
    assert (
        "请输入 6 位数字动态口令" in r.content.decode() and "还可以再试" not in r.content.decode()
    )
    wrong = "000000" if code() != "000000" else "111111"
    for left in (4, 3, 2, 1):
        r = client.post(VERIFY, {"code": wrong})
        assert r.status_code == 200
        assert f"还可以再试 {left} 次" in r.content.decode()
    r = client.post(VERIFY, {"code": wrong})
    assert r.status_code == 302 and r["Location"] == "/accounts/login/"
    assert "动态口令连续输入错误 5 次" in _login_page_text(client)
    assert not _logged_in(client) and pending.KEY not in client.session
    # The right code is no use now: the password has to be typed again.
    assert client.post(VERIFY, {"code": code()})["Location"] == "/accounts/login/"
    assert not _logged_in(client)
    assert AuditRecord.objects.filter(event=Event.MFA_FAILED, success=False).count() == 5
    assert LoginAttempt.objects.filter(key="office", success=False).count() == 1


def test_it_lets_the_pending_login_lapse_after_five_minutes(client, office_codes) -> None:
    _password(client, "office")
    with time_machine.travel(timedelta(minutes=5, seconds=5), tick=False):
        r = client.post(VERIFY, {"code": code()})
        assert r["Location"] == "/accounts/login/"
        assert "验证已超时" in _login_page_text(client)
    assert not _logged_in(client)


def test_it_refuses_a_replayed_code_and_accepts_the_next_one(client, office_codes) -> None:
    _password(client, "office")
    assert client.post(VERIFY, {"code": code()}).status_code == 302
    client.post("/accounts/logout/")
    _password(client, "office")
    r = client.post(VERIFY, {"code": code()})
    assert r.status_code == 200 and "已经使用过" in r.content.decode()
    assert client.post(VERIFY, {"code": code(1)})["Location"] == "/"


def test_it_logs_in_with_a_recovery_code_once(client, office_codes) -> None:
    _password(client, "office")
    r = client.post(VERIFY, {"code": office_codes[0]}, follow=True)
    assert _logged_in(client)
    assert "还剩 9 个" in r.content.decode()
    client.post("/accounts/logout/")
    _password(client, "office")
    r = client.post(VERIFY, {"code": office_codes[0]})
    assert r.status_code == 200 and "动态口令或恢复码不正确" in r.content.decode()


def test_it_makes_a_required_role_enrol_before_logging_in(client, office) -> None:
    r = _password(client, "office", next_url="/calendar/")
    assert r["Location"] == ENROL and not _logged_in(client)
    assert client.get(VERIFY)["Location"] == "/accounts/login/"  # no way around enrolment
    page = client.get(ENROL).content.decode()
    device = TotpDevice.objects.get(user=office)
    assert totp.grouped(device.secret) in page and "<svg" in page
    assert client.get("/").url.startswith("/accounts/login/")

    r = client.post(ENROL, {"code": "12345"})
    assert "请输入 6 位数字动态口令" in r.content.decode()
    r = client.post(ENROL, {"code": totp.code_now(device.secret)})
    html = r.content.decode()
    assert "我已保存" in html and html.count('<li class="secret">') == 10
    assert not _logged_in(client)
    # Reloading the page does not show the codes again.
    again = client.post(ENROL, {"code": totp.code_now(device.secret)}).content.decode()
    assert 'data-testid="codes-shown"' in again
    r = client.post("/accounts/mfa/enrol/done/")
    assert r["Location"] == "/calendar/" and _logged_in(client)
    assert AuditRecord.objects.filter(event=Event.MFA_ENROLLED, user_id=office.pk).exists()
    # The audit log has every step, and neither the secret nor a code.
    shown = [line.split("<")[0] for line in html.split('<li class="secret">')[1:]]
    rows = AuditRecord.objects.values_list("before", "after", "detail", "path")
    text = json.dumps(list(rows), ensure_ascii=False, default=str)
    assert len(shown) == 10 and all(len(c) == 11 for c in shown)
    assert device.secret not in text and not any(c in text for c in shown)


def test_it_lets_a_required_user_leave_enrolment_and_come_back_to_the_same_secret(
    client, office
) -> None:
    _password(client, "office")
    client.get(ENROL)
    secret = TotpDevice.objects.get(user=office).secret
    assert client.post("/accounts/mfa/cancel/")["Location"] == "/accounts/login/"
    assert client.get(ENROL)["Location"] == "/accounts/login/"
    _password(client, "office")
    assert totp.grouped(secret) in client.get(ENROL).content.decode()


def test_it_ends_a_pending_login_when_the_password_changed_meanwhile(
    client, office_codes, office
) -> None:
    _password(client, "office")
    office.set_password("Other#Pass2026")
    office.save()
    assert client.post(VERIFY, {"code": code()})["Location"] == "/accounts/login/"
    assert not _logged_in(client)


def test_it_ignores_a_next_address_on_another_site(client, office_codes) -> None:
    _password(client, "office", next_url="https://evil.example/")
    assert client.post(VERIFY, {"code": code()})["Location"] == "/"


def test_it_leaves_the_api_and_existing_sessions_alone(client, users, office) -> None:
    token = Token.objects.create(user=office)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/matters/").status_code == 200
    client.force_login(office)  # a session is a session: the second factor is the login's
    assert client.get("/").status_code == 200
