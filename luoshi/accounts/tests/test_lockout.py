"""Login failure handling: locks per name and per address, one message for every refusal,
the rate limit, and the security administrator's view of the locks."""

from datetime import timedelta

import pytest
import time_machine

from conftest import DEFAULT_NOW
from luoshi.accounts import lockout
from luoshi.accounts.models import LoginAttempt, LoginLock, User
from luoshi.accounts.tests.helpers import SAME_ERROR, audit_events, post_login
from luoshi.audit.events import Event
from luoshi.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def fail(client, username: str, times: int, address: str = "10.1.1.1") -> None:
    for _ in range(times):
        r = post_login(client, username, "Wrong#2026pw", address)
        assert SAME_ERROR in r.content.decode()


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_it_locks_a_name_after_five_failures_even_for_the_right_password(client, users, now):
    fail(client, "liaison_a", 4)
    assert logged_in(post_login(client, "liaison_a", DEMO_PASSWORD))  # 4 failures: not yet
    client.logout()
    fail(client, "liaison_a", 5, address="10.1.1.2")  # a success starts the count again
    r = post_login(client, "liaison_a", DEMO_PASSWORD, address="10.9.9.9")
    assert r.status_code == 200
    assert SAME_ERROR in r.content.decode()
    assert not logged_in(r)
    # The five failures also locked their address.
    locks = {r.object_repr for r in audit_events(Event.LOCKED)}
    assert locks == {"用户名 liaison_a", "地址 10.1.1.2"}
    # Names are compared as typed, without case or spaces.
    assert not logged_in(post_login(client, " LIAISON_A ", DEMO_PASSWORD, "10.9.9.8"))
    with time_machine.travel(DEFAULT_NOW + timedelta(minutes=29)):
        assert not logged_in(post_login(client, "liaison_a", DEMO_PASSWORD, "10.9.9.7"))
    with time_machine.travel(DEFAULT_NOW + timedelta(minutes=31)):
        assert logged_in(post_login(client, "liaison_a", DEMO_PASSWORD, "10.9.9.6"))
    # Failures while locked did not count towards another lock, and LOCKED was said once.
    assert len(audit_events(Event.LOCKED)) == 2


def test_it_answers_unknown_disabled_and_locked_accounts_alike(client, users, now) -> None:
    User.objects.filter(username="liaison_b").update(is_active=False)
    answers = {
        "unknown": post_login(client, "nobody", DEMO_PASSWORD, "10.2.0.1"),
        "wrong": post_login(client, "liaison_a", "Wrong#2026pw", "10.2.0.2"),
        "disabled": post_login(client, "liaison_b", DEMO_PASSWORD, "10.2.0.3"),
    }
    fail(client, "head_a", 5, address="10.2.0.4")
    answers["locked"] = post_login(client, "head_a", DEMO_PASSWORD, "10.2.0.5")
    bodies = set()
    for response in answers.values():
        assert response.status_code == 200
        body = response.content.decode()
        assert SAME_ERROR in body
        bodies.add(body.replace(response.wsgi_request.META["CSRF_COOKIE"], ""))
    errors = {r.context["form"].errors.as_json() for r in answers.values()}
    assert len(errors) == 1
    # Unknown names lock exactly like real ones, so a lock reveals nothing either.
    fail(client, "nobody", 4, address="10.2.0.6")
    assert LoginLock.objects.get(scope="username", key="nobody").locked_until is not None
    assert len(audit_events(Event.LOGIN_FAILED)) >= 11


def test_it_locks_an_address_that_tries_many_names(client, users, now) -> None:
    for name in ("a1", "a2", "a3", "a4", "a5"):
        fail(client, name, 1, address="10.3.0.1")
    assert not logged_in(post_login(client, "liaison_a", DEMO_PASSWORD, "10.3.0.1"))
    assert logged_in(post_login(client, "liaison_a", DEMO_PASSWORD, "10.3.0.2"))
    [locked] = audit_events(Event.LOCKED)
    assert locked.object_repr == "地址 10.3.0.1"


def test_it_does_not_let_a_good_password_clear_an_address(client, users, now) -> None:
    # One known password must not let an address guess at every other account.
    for name in ("b1", "b2", "b3", "b4"):
        fail(client, name, 1, address="10.3.1.1")
    assert logged_in(post_login(client, "liaison_a", DEMO_PASSWORD, "10.3.1.1"))
    client.logout()
    fail(client, "b5", 1, address="10.3.1.1")
    assert LoginLock.objects.get(scope="address", key="10.3.1.1").locked_until is not None


def test_it_follows_the_policy_threshold(client, users, now) -> None:
    from luoshi.accounts import services

    services.policy_update(users["secadmin"], lockout_threshold=3, lockout_minutes=10)
    fail(client, "liaison_a", 3)
    assert lockout.is_locked("liaison_a", "10.7.7.7")
    with time_machine.travel(DEFAULT_NOW + timedelta(minutes=11)):
        assert not lockout.is_locked("liaison_a", "10.7.7.7")


def test_it_rate_limits_an_address_with_a_chinese_429(client, users, now) -> None:
    for i in range(20):
        post_login(client, f"user{i}", "Wrong#2026pw", "10.4.0.1")
    r = post_login(client, "liaison_a", DEMO_PASSWORD, "10.4.0.1")
    assert r.status_code == 429
    assert "登录尝试过于频繁，请 1 分钟后再试" in r.content.decode()
    assert r["Retry-After"] == "60"
    assert post_login(client, "x", "y", "10.4.0.1").status_code == 429
    assert len(audit_events(Event.RATE_LIMITED)) == 1  # once per address and minute
    assert LoginAttempt.objects.filter(address="10.4.0.1").count() == 20
    assert post_login(client, "liaison_a", DEMO_PASSWORD, "10.4.0.2").status_code == 302
    client.logout()
    with time_machine.travel(DEFAULT_NOW + timedelta(seconds=70)):
        assert post_login(client, "zz", "Wrong#2026pw", "10.4.0.1").status_code == 200


def test_it_shows_and_releases_locks_for_the_security_administrator(client, users, now):
    fail(client, "liaison_a", 5, address="10.5.0.1")
    client.force_login(users["secadmin"])
    page = client.get("/accounts/security/").content.decode()
    assert "liaison_a" in page and "10.5.0.1" in page
    lock = LoginLock.objects.get(scope="username", key="liaison_a")
    r = client.post(f"/accounts/security/locks/{lock.pk}/release/")
    assert r.status_code == 302
    [unlocked] = audit_events(Event.UNLOCKED)
    assert unlocked.username == "secadmin"
    assert not lockout.is_locked("liaison_a", "10.5.0.9")
    client.logout()
    assert logged_in(post_login(client, "liaison_a", DEMO_PASSWORD, "10.5.0.9"))
    # The next failure starts a new count instead of locking at once.
    client.logout()
    fail(client, "liaison_a", 1, address="10.5.0.9")
    assert not lockout.is_locked("liaison_a", "10.5.0.8")
    client.force_login(users["sysadmin"])
    address_lock = LoginLock.objects.get(scope="address", key="10.5.0.1")
    assert client.post(f"/accounts/security/locks/{address_lock.pk}/release/").status_code == 403


def test_it_purges_attempts_after_30_days(users, now) -> None:
    old = DEFAULT_NOW - timedelta(days=31)
    LoginAttempt.objects.create(at=old, username="x", key="x", address="10.6.0.1")
    LoginAttempt.objects.create(at=DEFAULT_NOW - timedelta(days=29), username="y", key="y")
    LoginLock.objects.create(scope="username", key="x", counted_from=old)
    summary = lockout.purge_attempts()
    assert summary == "清理 30 天前的登录尝试 1 条"
    assert list(LoginAttempt.objects.values_list("key", flat=True)) == ["y"]
    assert not LoginLock.objects.filter(key="x").exists()


def test_it_hands_over_to_the_second_factor_only_after_the_checks(client, users, now, monkeypatch):
    from django.http import HttpResponseRedirect

    from luoshi.mfa import flow

    seen = []

    def begin_login(request, user):
        seen.append((user.username, LoginAttempt.objects.filter(success=True).count()))
        return HttpResponseRedirect("/second-step/")

    monkeypatch.setattr(flow, "begin_login", begin_login)
    r = post_login(client, "liaison_a", DEMO_PASSWORD, "10.8.0.1")
    assert r["Location"] == "/second-step/"
    assert seen == [("liaison_a", 1)]  # the successful attempt was recorded first
    assert "_auth_user_id" not in client.session  # the second step logs in, not the password
    fail(client, "head_a", 5, address="10.8.0.2")
    post_login(client, "head_a", DEMO_PASSWORD, "10.8.0.3")
    assert len(seen) == 1  # a locked name never reaches the second factor


def test_a_right_password_with_wrong_second_factors_still_counts_towards_the_lock(users, now):
    """Only a completed login starts the name's count again: someone who knows the
    password but not the code must not get unlimited rounds of five guesses."""
    for n in range(5):
        address = f"10.2.0.{n}"  # a new address each round: only the name can lock
        lockout.record_success(None, "office", address)  # password right …
        lockout.record_failure(None, "office", address)  # … five wrong codes: one failure
    assert lockout.is_locked("office", "10.3.3.3")


def test_a_completed_login_starts_the_names_count_again(client, users, now):
    for n in range(4):
        lockout.record_failure(None, "liaison_a", f"10.4.0.{n}")
    client.force_login(users["liaison_a"])  # the login signal
    lockout.record_failure(None, "liaison_a", "10.4.1.1")
    assert not lockout.is_locked("liaison_a", "10.5.5.5")
