"""Counts for the 工作台 of each role: what waits (with the first rows of each list), the
lights, and the scope; later capabilities add their cards here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.models import RoleGrant, User
from luoshi.accounts.roles import SEPARATED_ADMIN_ROLES, UNIT_ROLES, Role
from luoshi.core.loops import loop_status
from luoshi.core.navigation import LIGHT_READERS
from luoshi.ledger.selectors import my_work
from luoshi.org.models import ImportBatch, Unit
from luoshi.workbench import tally
from luoshi.workbench.lights import leader_matters, light_counts, totals
from luoshi.workbench.todo import WorkList
from luoshi.workcal import calendar

OVERSIGHT_ROLES = {
    Role.OFFICE_ADMIN,
    Role.INSPECTOR,
    Role.LEADER,
    Role.OBSERVER,
    Role.INVITED_INSPECTOR,
}


@dataclass
class Figure:
    label: str
    value: Any
    url: str = ""
    tone: str = ""  # "", "warn" or "bad"
    testid: str = ""

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, int)


@dataclass
class Card:
    title: str
    figures: list[Figure]
    lists: list[WorkList] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, label)


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


# The lists shown with their first rows on the 工作台 (the rest are counts only).
SHORT_LIST = 5


def _work_cards(user: Any, tallies: tally.Once) -> list[Card]:
    cards: dict[str, Card] = {}
    for wl in my_work(user, limit=SHORT_LIST, tallies=tallies).values():
        card = cards.setdefault(wl.group, Card(wl.group, []))
        card.figures.append(Figure(wl.label, wl.count, wl.href, wl.tone, wl.testid))
        if wl.count:
            card.lists.append(wl)
    return list(cards.values())


def _lights_card(user: Any, today: date, tallies: tally.Once) -> Card:
    t = totals(user, today, tallies)
    card = Card(
        "亮灯情况（在办任务）",
        [
            Figure("红灯", t.red, t.red_url, "bad" if t.red else "", "lights-red"),
            Figure("黄灯", t.yellow, t.yellow_url, "warn" if t.yellow else "", "lights-yellow"),
            Figure("绿灯", t.green, t.green_url, "", "lights-green"),
            Figure("反馈逾期", t.late, t.late_url, "warn" if t.late else "", "lights-late"),
        ],
    )
    card.links.append((reverse("workbench:lights"), "按单位查看"))
    return card


def _leader_card(user: Any) -> Card:
    counts = light_counts(leader_matters(user))
    url = reverse("workbench:my_matters")
    card = Card(
        "我分管的事项",
        [
            Figure("在办事项", sum(counts.values()), url, "", "mine-open"),
            Figure("红灯", counts.get("red", 0), url, "bad" if counts.get("red") else "",
                   "mine-red"),
            Figure("黄灯", counts.get("yellow", 0), url, "warn" if counts.get("yellow") else "",
                   "mine-yellow"),
        ],
    )  # fmt: skip
    card.links.append((url, "查看全部（红灯在前）"))
    return card


def cards_for(user: Any) -> list[Card]:
    roles = access.roles_of(user)
    tallies = tally.Once()  # the lists and the lights card read the same counts
    cards: list[Card] = _work_cards(user, tallies)
    today = timezone.localdate()
    if Role.LEADER in roles:
        cards.append(_leader_card(user))
    if roles & LIGHT_READERS:
        cards.append(_lights_card(user, today, tallies))
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
    cards.append(_calendar_card(today))
    return cards
