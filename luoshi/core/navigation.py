"""The menu: which entries each role sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from luoshi.accounts import access
from luoshi.accounts.roles import (
    BUSINESS_ROLES,
    OFFICE_ROLES,
    ROLE_GRANTERS,
    USER_MANAGERS,
    Role,
)

LEDGER_READERS = {
    Role.OFFICE_ADMIN,
    Role.INSPECTOR,
    Role.LEADER,
    Role.OBSERVER,
    Role.INVITED_INSPECTOR,
}
# The counts of lights per unit are for oversight, not for the units themselves.
LIGHT_READERS = frozenset({Role.OFFICE_ADMIN, Role.INSPECTOR, Role.LEADER, Role.OBSERVER})


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in user


NAV: tuple[NavEntry, ...] = (
    NavEntry("工作台", "workbench:home", None),
    NavEntry("消息通知", "notify:list", None),
    NavEntry("我的待办", "ledger:my_work", frozenset(BUSINESS_ROLES - {Role.OBSERVER})),
    NavEntry("我分管的事项", "workbench:my_matters", frozenset({Role.LEADER})),
    NavEntry("督查台账", "ledger:ledger", frozenset(LEDGER_READERS)),
    NavEntry("台账导入", "sheets:import", frozenset({Role.OFFICE_ADMIN})),
    NavEntry("亮灯情况", "workbench:lights", LIGHT_READERS),
    NavEntry("统计分析", "stats:dashboard", LIGHT_READERS),
    NavEntry("承办任务", "ledger:assignments", frozenset({Role.LIAISON, Role.UNIT_HEAD})),
    NavEntry("催办督办", "urging:list", LIGHT_READERS | {Role.LIAISON, Role.UNIT_HEAD}),
    NavEntry("督查公文", "documents:list", LIGHT_READERS),
    NavEntry("单位名录", "org:unit_list", None),
    NavEntry("用户管理", "accounts:user_list", frozenset(USER_MANAGERS)),
    NavEntry("批量导入", "org:import_upload", frozenset(USER_MANAGERS)),
    NavEntry("角色授权", "accounts:grant_list", frozenset(ROLE_GRANTERS)),
    NavEntry("安全策略", "accounts:security_policy", frozenset(ROLE_GRANTERS)),
    NavEntry("动态口令管理", "mfa:devices", frozenset(ROLE_GRANTERS)),
    NavEntry("工作日历", "workcal:index", None),
    NavEntry("台账规则", "ledger:policy", frozenset({Role.OFFICE_ADMIN})),
    NavEntry("提醒记录", "reminders:log", OFFICE_ROLES),
    NavEntry("提醒规则", "reminders:policy", frozenset({Role.OFFICE_ADMIN})),
    NavEntry("后台循环", "core:loops", frozenset({Role.SYSADMIN})),
    NavEntry("消息渠道", "notify_admin:channels", frozenset({Role.SYSADMIN})),
    NavEntry("消息投递", "notify_admin:outbox", frozenset({Role.SYSADMIN})),
    NavEntry("审计日志", "audit:list", frozenset({Role.AUDITOR})),
)


def navigation_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    items = []
    for entry in NAV:
        if entry.roles is not None and not access.has_role(user, entry.roles):
            continue
        url = reverse(entry.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
