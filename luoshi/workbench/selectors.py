"""Counts for the 工作台 of each role. Later capabilities add their cards here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.models import RoleGrant, User
from luoshi.accounts.roles import SEPARATED_ADMIN_ROLES, Role
from luoshi.core.loops import loop_status
from luoshi.org.models import ImportBatch, Unit
from luoshi.workcal import calendar

OVERSIGHT_ROLES = {
    Role.OFFICE_ADMIN,
    Role.INSPECTOR,
    Role.LEADER,
    Role.OBSERVER,
    Role.INVITED_INSPECTOR,
}
UNIT_ROLES = {Role.LIAISON, Role.UNIT_HEAD}


@dataclass
class Figure:
    label: str
    value: Any
    url: str = ""
    tone: str = ""  # "", "warn" or "bad"


@dataclass
class Card:
    title: str
    figures: list[Figure]


def _calendar_card(today: date) -> Card:
    try:
        workday = calendar.is_workday(today)
        month_end = calendar.month_days(today.year, today.month)[-1]
        left = calendar.workdays_between(today, month_end)
        nxt: Any = calendar.next_workday(today)
    except calendar.CalendarYearMissing as exc:
        return Card("工作日历", [Figure("日历状态", str(exc), reverse("workcal:index"), "bad")])
    return Card(
        "工作日历",
        [
            Figure("今天", "工作日" if workday else "休息日", reverse("workcal:index")),
            Figure("本月剩余工作日", left, reverse("workcal:index")),
            Figure("下一个工作日", f"{nxt:%m月%d日}", reverse("workcal:index")),
        ],
    )


def _scope_card(user: Any, title: str, roles: set[str]) -> Card:
    units = Unit.objects.filter(access.scope_q(user, roles))
    counts = units.aggregate(
        active=Count("id", filter=Q(is_active=True)),
        departments=Count("id", filter=Q(is_active=True, kind="department")),
        townships=Count("id", filter=Q(is_active=True, kind="township")),
    )
    people = User.objects.filter(access.scope_q(user, roles, "unit__path"), is_active=True).count()
    url = reverse("org:unit_list")
    return Card(
        title,
        [
            Figure("单位", counts["active"], url),
            Figure("部门", counts["departments"], url),
            Figure("乡镇（街道）", counts["townships"], url),
            Figure("在用账户", people),
        ],
    )


def _sysadmin_card(user: Any) -> Card:
    units = Unit.objects.aggregate(
        active=Count("id", filter=Q(is_active=True)),
        inactive=Count("id", filter=Q(is_active=False)),
    )
    users = User.objects.aggregate(
        active=Count("id", filter=Q(is_active=True)),
        inactive=Count("id", filter=Q(is_active=False)),
    )
    pending = ImportBatch.objects.filter(
        created_by=user, status=ImportBatch.Status.PREVIEWED
    ).count()
    stale = sum(1 for loop in loop_status() if loop["stale"])
    return Card(
        "系统管理",
        [
            Figure("启用单位", units["active"], reverse("org:unit_list")),
            Figure("停用单位", units["inactive"], reverse("org:unit_list") + "?inactive=1"),
            Figure("在用账户", users["active"], reverse("accounts:user_list")),
            Figure("停用账户", users["inactive"], reverse("accounts:user_list")),
            Figure("待确认导入", pending, reverse("org:import_upload"), "warn" if pending else ""),
            Figure("异常后台循环", stale, reverse("core:loops"), "bad" if stale else ""),
        ],
    )


def _secadmin_card() -> Card:
    by_role = dict(
        RoleGrant.objects.values_list("role").annotate(n=Count("id")).values_list("role", "n")
    )
    without = User.objects.filter(is_active=True, grants__isnull=True).count()
    url = reverse("accounts:grant_list")
    figures = [Figure("未授权账户", without, url, "warn" if without else "")]
    figures += [Figure(str(label), by_role.get(value, 0), url) for value, label in Role.choices]
    return Card("角色授权", figures)


def _auditor_card() -> Card:
    since = timezone.now() - timedelta(days=7)
    stats = User.objects.aggregate(
        total=Count("id"),
        inactive=Count("id", filter=Q(is_active=False)),
        recent=Count("id", filter=Q(last_login__gte=since)),
        never=Count("id", filter=Q(last_login__isnull=True)),
    )
    admins = RoleGrant.objects.filter(role__in=SEPARATED_ADMIN_ROLES).count()
    return Card(
        "账户审计",
        [
            Figure("账户总数", stats["total"]),
            Figure("停用账户", stats["inactive"]),
            Figure("近 7 日登录", stats["recent"]),
            Figure("从未登录", stats["never"], tone="warn" if stats["never"] else ""),
            Figure("三员账户", admins),
        ],
    )


WORK_LABELS = {
    "to_approve": ("待审批", "warn"),
    "drafts": ("草稿", ""),
    "to_assign": ("待交办", "warn"),
    "returned": ("被退回", "bad"),
    "to_sign": ("待签收", "warn"),
    "co_to_sign": ("待签收（配合）", "warn"),
}


def _work_card(user: Any) -> Card | None:
    from luoshi.ledger.selectors import my_work

    work = my_work(user)
    if not work:
        return None
    url = reverse("ledger:my_work")
    figures = []
    for key, (label, tone) in WORK_LABELS.items():
        if key in work:
            count = work[key].count()
            figures.append(Figure(label, count, url, tone if count else ""))
    return Card("我的待办", figures)


def cards_for(user: Any) -> list[Card]:
    roles = access.roles_of(user)
    cards: list[Card] = []
    work = _work_card(user)
    if work is not None:
        cards.append(work)
    if roles & OVERSIGHT_ROLES:
        cards.append(_scope_card(user, "督查范围", roles & OVERSIGHT_ROLES))
    if roles & UNIT_ROLES:
        cards.append(_scope_card(user, f"本单位（{user.unit.name}）", roles & UNIT_ROLES))
    if Role.SYSADMIN in roles:
        cards.append(_sysadmin_card(user))
    if Role.SECADMIN in roles:
        cards.append(_secadmin_card())
    if Role.AUDITOR in roles:
        cards.append(_auditor_card())
    cards.append(_calendar_card(timezone.localdate()))
    return cards
