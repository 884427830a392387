"""Accounts unused for the policy's days are disabled by the daily loop, except the last
active holder of each separated administrator role."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from conftest import DEFAULT_NOW
from luoshi.accounts import services
from luoshi.accounts.models import User
from luoshi.accounts.tests.helpers import audit_events
from luoshi.audit.events import Event
from luoshi.core.loops import loop_by_name, run_one

pytestmark = pytest.mark.django_db
LONG_AGO = DEFAULT_NOW - timedelta(days=100)


@pytest.fixture
def old_accounts(users, now):
    """Every demo account created 100 days ago and never used, but a few."""
    User.objects.update(last_login=None, date_joined=LONG_AGO, password_changed_at=LONG_AGO)
    User.objects.filter(username="liaison_b").update(last_login=DEFAULT_NOW - timedelta(days=89))
    User.objects.filter(username="head_b").update(password_changed_at=DEFAULT_NOW - timedelta(5))
    User.objects.filter(username="leader").update(last_login=DEFAULT_NOW - timedelta(days=91))
    return users


def active_names() -> set[str]:
    return set(User.objects.filter(is_active=True).values_list("username", flat=True))


def test_it_disables_accounts_unused_for_90_days(old_accounts) -> None:
    disabled = {u.username for u in services.disable_inactive_accounts()}
    # The only holders of the three administrator roles stay, or nobody could fix it.
    assert active_names() == {"liaison_b", "head_b", "sysadmin", "secadmin", "auditor"}
    assert "leader" in disabled and "office" in disabled
    records = audit_events(Event.ACCOUNT_DISABLED)
    assert {r.object_repr for r in records} == {
        str(u) for u in User.objects.filter(username__in=disabled)
    }
    assert all(r.username == "" and r.after == {"is_active": False} for r in records)
    assert "超过 90 天未使用" in records[0].detail
    assert services.disable_inactive_accounts() == []  # nothing twice


def test_it_does_not_spare_administrators_who_are_not_the_last(old_accounts, units) -> None:
    spare, _ = services.user_create(
        None, username="sysadmin2", name="备用管理员", unit=units["市政府督查室"],
        password="Tide#2026ok",
    )  # fmt: skip
    services.role_grant(None, spare, "sysadmin", units["清河市人民政府"])
    User.objects.filter(pk=spare.pk).update(last_login=DEFAULT_NOW - timedelta(days=1))
    services.disable_inactive_accounts()
    assert not User.objects.get(username="sysadmin").is_active
    assert User.objects.get(username="sysadmin2").is_active
    assert User.objects.get(username="secadmin").is_active


def test_it_counts_from_a_re_enabling(old_accounts) -> None:
    services.disable_inactive_accounts()
    with time_machine.travel(DEFAULT_NOW + timedelta(hours=2)):
        services.user_set_active(old_accounts["sysadmin"], old_accounts["leader"], True)
    with time_machine.travel(DEFAULT_NOW + timedelta(days=1)):
        assert services.disable_inactive_accounts() == []
    with time_machine.travel(DEFAULT_NOW + timedelta(days=91)):
        assert "leader" in {u.username for u in services.disable_inactive_accounts()}


def test_it_follows_the_policy_days(old_accounts) -> None:
    services.policy_update(old_accounts["secadmin"], inactive_days=30)
    User.objects.filter(username="liaison_b").update(last_login=DEFAULT_NOW - timedelta(days=31))
    services.disable_inactive_accounts()
    assert "liaison_b" not in active_names()
    assert "head_b" in active_names()


def test_it_runs_as_a_command_and_as_a_daily_loop(old_accounts) -> None:
    out = StringIO()
    call_command("disable_inactive_accounts", "--dry-run", stdout=out)
    assert "将停用（超过 90 天未使用）：leader" in out.getvalue()
    assert "leader" in active_names()
    loop = loop_by_name("accounts_inactive")
    assert loop.at is not None and (loop.at.hour, loop.at.minute) == (1, 0)
    summary = run_one(loop)
    assert summary is not None and summary.startswith("停用长期未用账户 7 个，演示账户 0 个")
    assert "leader" not in active_names()
    out = StringIO()
    call_command("disable_inactive_accounts", stdout=out)
    assert out.getvalue().strip() == "共已停用 0 个账户。"
