"""Password rules: length and classes from the policy, leaked and patterned passwords,
personal data, history, and the 90-day maximum age."""

from datetime import timedelta
from itertools import pairwise

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from conftest import DEFAULT_NOW
from luoshi.accounts import services
from luoshi.accounts.models import PasswordHistory, User
from luoshi.accounts.passwords import breached_passwords
from luoshi.accounts.tests.helpers import audit_events
from luoshi.audit.events import Event
from luoshi.core.errors import ServiceError
from luoshi.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def refusal(password: str, user=None) -> str:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return "".join(exc.messages)
    return ""


def test_it_applies_length_and_character_classes_from_the_policy(users) -> None:
    assert refusal("Tq7#mX2") == "密码至少需要 8 个字符。"
    assert "至少 3 类" in refusal("tq7mxzvkrw")
    assert refusal("Tq7mXzvkrw") == ""  # lower, upper, digit: three classes
    assert refusal(DEMO_PASSWORD) == ""
    services.policy_update(users["secadmin"], min_length=12, min_classes=4)
    assert (
        refusal("Tq7mXzvkrw")
        == "密码至少需要 12 个字符。密码须包含小写字母、大写字母、数字、符号中的至少 4 类。"
    )
    assert refusal("Tq7#mXzvkrw!") == ""


@pytest.mark.parametrize(
    "password",
    ["Aa123456", "1qaz@WSX", "P@ssw0rd", "Woaini1314", "Abc@123456", "aA123456", "WOAINI1314",
     "Admin@2026", "Huawei12#$", "Zhangwei@1990", "Wangfang2024!", "Zxcv@1234",
     "Qwer1234!", "!QAZ2wsx", "1q2w3e4R!", "Rewq4321!", "P@ssw0rd2024!", "Qq123456!"],
)  # fmt: skip
def test_it_refuses_leaked_and_patterned_passwords(password) -> None:
    message = refusal(password)
    assert "常见" in message or "泄露" in message or "键盘" in message, message


def test_it_ships_a_breached_list_with_chinese_patterns() -> None:
    listed = breached_passwords()
    assert len(listed) > 250
    assert {"aa123456", "1qaz@wsx", "p@ssw0rd", "woaini1314", "abc@123456"} <= listed
    assert all(p == p.lower() for p in listed)


@pytest.mark.parametrize("password", ["Tide#2026ok", "Qinghe-Duban7", "mX7#river-bend"])
def test_it_accepts_ordinary_strong_passwords(password) -> None:
    assert refusal(password) == ""


def test_it_refuses_the_user_name_and_phone_number(users) -> None:
    user = users["liaison_a"]
    user.phone = "138 0013 8123"
    assert refusal("Liaison_A#2026", user).startswith("密码不能包含用户名。")
    assert refusal("Tide#138123", user) == "密码不能包含手机号码。"
    assert refusal("赵敏Tide#2026", user) == "密码不能包含姓名。"
    assert refusal("Tide#2026ok", user) == ""


def test_it_refuses_the_last_five_passwords(users, now) -> None:
    user = users["liaison_a"]
    passwords = [DEMO_PASSWORD, "Tide#2026a1", "Tide#2026b2", "Tide#2026c3", "Tide#2026d4"]
    for old, new in pairwise(passwords):
        services.password_change(User.objects.get(pk=user.pk), old, new)
    current = passwords[-1]
    for used in passwords[:-1]:
        with pytest.raises(ServiceError, match="不能与最近 5 次使用过的密码相同") as err:
            services.password_change(User.objects.get(pk=user.pk), current, used)
        assert err.value.field == "new_password"
    services.password_change(User.objects.get(pk=user.pk), current, "Tide#2026e5")
    # Five newer passwords later, the first one may come back.
    services.password_change(User.objects.get(pk=user.pk), "Tide#2026e5", DEMO_PASSWORD)
    assert len(audit_events(Event.PASSWORD_CHANGED)) == 6


def test_it_keeps_history_through_administrator_resets(users, now) -> None:
    user = users["liaison_a"]
    before = PasswordHistory.objects.filter(user=user).count()
    temporary = services.user_reset_password(users["sysadmin"], user)
    assert PasswordHistory.objects.filter(user=user).count() == before + 1
    user.refresh_from_db()
    with pytest.raises(ServiceError, match="最近 5 次"):
        services.password_change(user, temporary, DEMO_PASSWORD)
    [record] = audit_events(Event.PASSWORD_CHANGED)
    assert record.username == "sysadmin"
    assert record.object_repr == str(user)
    assert temporary not in str(record.after) + record.detail


def test_it_stamps_the_password_time_on_every_change(users, now) -> None:
    user = users["liaison_a"]
    with time_machine.travel(DEFAULT_NOW + timedelta(days=10), tick=False):
        services.password_change(user, DEMO_PASSWORD, "Tide#2026ok")
    user.refresh_from_db()
    assert user.password_changed_at == DEFAULT_NOW + timedelta(days=10)


def test_it_sends_an_expired_password_to_the_change_page(client, users, now) -> None:
    user = users["liaison_a"]
    User.objects.filter(pk=user.pk).update(password_changed_at=DEFAULT_NOW - timedelta(days=91))
    client.force_login(user)
    r = client.get("/tasks/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/").content.decode()
    assert "密码已超过 90 天未修改，请先修改密码再继续使用。" in page
    assert "密码要求：至少 8 个字符；包含小写字母、大写字母、数字、符号中的至少 3 类" in page
    assert "不能与最近 5 次使用过的密码相同" in page
    r = client.post(
        "/accounts/password/",
        {"old_password": DEMO_PASSWORD, "new_password": "Tide#2026ok", "new_password2": "Tide#2026ok"},
    )  # fmt: skip
    assert r.status_code == 302
    assert client.get("/tasks/").status_code == 200


def test_it_lets_a_password_of_89_days_through(client, users, now) -> None:
    user = users["liaison_a"]
    User.objects.filter(pk=user.pk).update(password_changed_at=DEFAULT_NOW - timedelta(days=89))
    client.force_login(user)
    assert client.get("/tasks/").status_code == 200
