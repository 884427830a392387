"""三员分立: the system, security and audit administrators are separate from each other and
from the business, and no Django superuser flag is needed or honoured."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from luoshi.accounts import access, services
from luoshi.accounts.models import RoleGrant, User
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.ledger.models import Assignment, Matter
from luoshi.org.models import Unit
from luoshi.workbench.tests.scenario import make_task

pytestmark = pytest.mark.django_db

LUOSHI = Path(__file__).resolve().parents[2]
BUSINESS_PAGES = [
    "ledger:ledger", "ledger:matter_create", "ledger:assignments", "ledger:my_work",
    "workbench:lights", "workbench:my_matters", "stats:dashboard", "stats:export",
    "urging:list", "documents:list", "reminders:log", "sheets:import", "sheets:ledger_export",
]  # fmt: skip
BUSINESS_API = ["/api/v1/matters/", "/api/v1/assignments/", "/api/v1/urgings/",
                "/api/v1/documents/", "/api/v1/stats/", "/api/v1/ledger/export/"]  # fmt: skip
# What each administrator opens; every page of the others' is closed to them.
OWN_PAGES = {
    "sysadmin": ["accounts:user_list", "accounts:user_create", "org:unit_create",
                 "org:import_upload", "core:loops", "notify_admin:channels"],
    "secadmin": ["accounts:grant_list", "accounts:security_policy"],
    "auditor": ["audit:list", "audit:export"],
}  # fmt: skip


def audit_pages_exist() -> bool:
    try:
        resolve("/audit/")
    except Resolver404:
        return False
    return True


def url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None  # a page another part of the work has not added yet


def refused(response) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith(reverse("accounts:login"))
    return response.status_code == 403


def test_it_keeps_administrator_and_business_roles_apart(users, units) -> None:
    secadmin, city = users["secadmin"], units["清河市人民政府"]
    with pytest.raises(ServiceError, match="三员分立：该账户持有业务角色（督查室管理员）"):
        services.role_grant(secadmin, users["office"], "sysadmin", city)
    with pytest.raises(ServiceError, match="三员分立：该账户是审计管理员，不能再授予业务角色"):
        services.role_grant(secadmin, users["auditor"], "observer", city)
    with pytest.raises(ServiceError, match="三员分立：该账户已是系统管理员，不能再兼任审计管理员"):
        services.role_grant(secadmin, users["sysadmin"], "auditor", city)
    with pytest.raises(ServiceError, match="不能给自己授权"):
        services.role_grant(secadmin, secadmin, "auditor", city)
    with pytest.raises(NotPermitted):  # granting is the security administrator's alone
        services.role_grant(users["sysadmin"], users["office"], "observer", city)

    fresh, _ = services.user_create(
        users["sysadmin"], username="new_auditor", name="新审计员", unit=units["市政府督查室"]
    )
    services.role_grant(secadmin, fresh, "auditor", city)
    with pytest.raises(ServiceError, match="不能再授予业务角色观察员"):
        services.role_grant(secadmin, fresh, "observer", city)
    assert access.roles_of(User.objects.get(pk=fresh.pk)) == {"auditor"}
    # One administrator role per account is also the database's rule, whatever code runs.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=fresh, role="secadmin", unit=city)


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditor"])
def test_it_opens_each_administrator_only_their_own_pages(client, now, users, admin) -> None:
    client.force_login(users[admin])
    for name in OWN_PAGES[admin]:
        if (path := url(name)) is not None:
            assert client.get(path).status_code == 200, name
    others = [n for a, names in OWN_PAGES.items() if a != admin for n in names]
    for name in others + BUSINESS_PAGES:
        if (path := url(name)) is not None:
            assert refused(client.get(path)), name
    for path in BUSINESS_API:
        answer = client.get(path)
        assert answer.status_code == 403, path
    assert "三员分立" in client.get("/api/v1/matters/").json()["detail"]
    # What every signed-in person has stays open.
    for path in ("/", "/notifications/", "/org/units/", "/calendar/", "/api/v1/me/"):
        assert client.get(path).status_code == 200, path


def test_it_shows_the_audit_log_to_the_auditor_alone(client, now, users) -> None:
    if not audit_pages_exist():
        pytest.skip("审计日志页面（/audit/）尚未加入。")
    for username in ("sysadmin", "secadmin", "office", "observer"):
        client.force_login(users[username])
        assert client.get("/audit/").status_code == 403, username
    client.force_login(users["auditor"])
    assert client.get("/audit/").status_code == 200


def test_it_keeps_the_security_administrator_out_of_business_writes(
    client, now, users, units
) -> None:
    task = make_task(users, units, "待签收事项", date(2026, 12, 31), sign=False)
    matters = Matter.objects.count()
    client.force_login(users["secadmin"])
    writes = [
        client.post(reverse("ledger:matter_create"), {"title": "安全管理员立项"}),
        client.post(reverse("ledger:assignment_action", args=[task.pk, "sign"])),
        client.post("/api/v1/matters/", {"title": "立项"}, content_type="application/json"),
        client.post(f"/api/v1/assignments/{task.pk}/sign/"),
        client.post(reverse("notify:read_all")),  # not business data: allowed
    ]
    assert [w.status_code for w in writes] == [403, 403, 403, 403, 302]
    # Reading the task: out of sight (404) as any object the account cannot see.
    assert client.get(reverse("ledger:assignment", args=[task.pk])).status_code == 404
    assert client.get(f"/api/v1/assignments/{task.pk}/").status_code == 404
    assert Matter.objects.count() == matters
    assert Assignment.objects.get(pk=task.pk).status == task.status


def test_it_closes_the_api_to_an_administrator_token(client, now, users) -> None:
    out = io.StringIO()
    call_command("api_token", "sysadmin", stdout=out, stderr=io.StringIO())
    auth = {"Authorization": f"Token {out.getvalue().strip()}"}
    refused_answer = client.get("/api/v1/matters/", headers=auth)
    assert refused_answer.status_code == 403
    assert "三员分立" in refused_answer.json()["detail"]
    assert client.get("/api/v1/me/", headers=auth).status_code == 200


def test_it_honours_no_superuser_flag(client, now, users, units) -> None:
    boss = User.objects.create(
        username="root", name="超级用户", unit=units["市政府督查室"], is_superuser=True,
        is_staff=True,
    )  # fmt: skip
    client.force_login(boss)
    for name in ("ledger:ledger", "accounts:user_list", "accounts:grant_list", "core:loops"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get("/api/v1/matters/").json()["count"] == 0
    with pytest.raises(NotPermitted):
        services.role_grant(boss, users["observer"], "leader", units["清河市人民政府"])


def test_it_has_no_code_that_reads_the_superuser_or_staff_flags() -> None:
    flags = re.compile(r"\bis_(superuser|staff)\b")
    found = [
        str(path.relative_to(LUOSHI))
        for path in LUOSHI.rglob("*")
        if path.suffix in {".py", ".html"}
        and "migrations" not in path.parts
        and "tests" not in path.parts
        and flags.search(path.read_text())
    ]
    assert found == []


def test_it_bootstraps_an_empty_installation(db) -> None:
    out = io.StringIO()
    call_command(
        "init_admins", "--unit-name", "市政府督查室", "--root-name", "清河市人民政府", stdout=out
    )
    root = Unit.objects.get(parent=None)
    assert root.name == "清河市人民政府"
    assert Unit.objects.get(name="市政府督查室").parent == root
    printed = dict(re.findall(r"用户名 (\S+)  初始密码 (\S+)", out.getvalue()))
    assert set(printed) == {"sysadmin", "secadmin", "auditor"}
    for username, password in printed.items():
        user = User.objects.get(username=username)
        assert user.check_password(password) and user.must_change_password
        assert not user.is_superuser and not user.is_staff
        assert list(user.grants.values_list("role", "unit")) == [(username, root.pk)]
    with pytest.raises(CommandError, match="已有三员账户"):
        call_command("init_admins", "--unit-name", "市政府督查室", stdout=io.StringIO())
    assert User.objects.count() == 3


def test_it_bootstraps_into_existing_units_once(users, units) -> None:
    with pytest.raises(CommandError, match="已有三员账户"):
        call_command("init_admins", "--unit-name", "市政府督查室", stdout=io.StringIO())
    RoleGrant.objects.filter(role__in=["sysadmin", "secadmin", "auditor"]).delete()
    with pytest.raises(CommandError, match="找不到在用单位“督查一室”"):
        call_command("init_admins", "--unit-name", "督查一室", stdout=io.StringIO())
    with pytest.raises(CommandError, match="用户名“sysadmin”已被使用"):
        call_command("init_admins", "--unit-name", "市政府督查室", stdout=io.StringIO())
    call_command(
        "init_admins", "--unit-name", "市政府督查室", "--sysadmin", "xt_admin",
        "--secadmin", "aq_admin", "--auditor", "sj_admin", stdout=io.StringIO(),
    )  # fmt: skip
    city = units["清河市人民政府"]
    assert access.covers(User.objects.get(username="aq_admin"), {"secadmin"}, city)
    assert User.objects.get(username="xt_admin").unit == units["市政府督查室"]
