"""Demo accounts exist only in demo mode: outside it the published password opens nothing,
the deploy check reports them, and the daily loop disables them."""

import pytest
from django.core import checks

from luoshi.accounts import services
from luoshi.accounts.models import User
from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.demo.data import DEMO_PASSWORD
from luoshi.demo.guard import check_demo_accounts, disable_demo_accounts

pytestmark = pytest.mark.django_db


def deploy_errors() -> list[checks.CheckMessage]:
    found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    return [m for m in found if m.id == "luoshi.E101"]


def test_it_reports_demo_accounts_outside_demo_mode(users, settings) -> None:
    assert check_demo_accounts() == []  # demo mode: expected
    settings.LUOSHI_DEMO = False
    [error] = deploy_errors()
    assert error.level == checks.ERROR
    assert "office" in error.msg and "liaison_a" in error.msg
    User.objects.filter(username="office").update(is_active=False)
    services.password_change(users["liaison_a"], DEMO_PASSWORD, "Tide#2026ok")
    [error] = deploy_errors()
    assert "office" not in error.msg and "liaison_a" not in error.msg
    User.objects.filter(username__in=[u.username for u in users.values()]).exclude(
        username="liaison_a"
    ).update(is_active=False)
    assert deploy_errors() == []
    # Not a deploy run: ordinary start-up does not hash a dozen passwords.
    assert [m for m in checks.run_checks() if m.id == "luoshi.E101"] == []


def test_it_disables_demo_accounts_outside_demo_mode(users, settings, now) -> None:
    assert disable_demo_accounts() == []
    settings.LUOSHI_DEMO = False
    services.password_change(users["liaison_a"], DEMO_PASSWORD, "Tide#2026ok")
    disabled = {u.username for u in disable_demo_accounts()}
    assert "liaison_a" not in disabled  # its own password: a real account now
    assert disabled == {u for u in users if u != "liaison_a"}
    assert AuditRecord.objects.filter(event=Event.ACCOUNT_DISABLED).count() == len(disabled)
    assert disable_demo_accounts() == []


def test_it_refuses_the_demo_password_at_login_outside_demo_mode(client, users, settings, now):
    settings.LUOSHI_DEMO = False
    r = client.post("/accounts/login/", {"username": "liaison_a", "password": DEMO_PASSWORD})
    assert r.status_code == 200
    assert "用户名或密码错误，请重新输入。" in r.content.decode()
    settings.LUOSHI_DEMO = True
    r = client.post("/accounts/login/", {"username": "liaison_a", "password": DEMO_PASSWORD})
    assert r.status_code == 302
