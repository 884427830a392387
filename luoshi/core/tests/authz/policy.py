"""Who may see which object and who may write what: the expectations of the matrix.

Visibility is by owner (see ``world``): the city's oversight sees every unit's objects, a
unit and the district office only their own. Writes: the read-only users may do only what
is listed for them below (their own messages and settings, a leader's decisions, each
administrator's own pages); any other write, including every one added later, must be a
403 for them. Writers (office, units) are checked only for other units' objects: 404."""

from __future__ import annotations

from fnmatch import fnmatchcase

from luoshi.core.tests.authz.catalogue import Op

# url name → (why anyone may open it, the status an anonymous visitor gets). Everything
# else needs a login (the anonymous sweep) and is in the matrix.
PUBLIC: dict[str, tuple[str, int]] = {
    "accounts:login": ("登录页", 200),
    "healthz": ("运维探活：只报告数据库和后台循环是否正常", 200),
    "public:index": ("公开网站：已公开的督查公文", 200),
    "public:detail": ("公开网站：一份已公开公文的正文", 200),
    "public:download": ("公开网站：已公开公文的 DOCX/PDF", 200),
    # The bell polls every minute; a visitor whose session ended gets htmx's "stop polling"
    # with an empty body, never a count.
    "notify:unread_count": ("消息铃铛轮询：未登录时只让页面停止轮询", 286),
}

# The users of the matrix, by what they are.
USERS = [
    "office", "inspector", "leader", "observer", "liaison_a", "head_a", "liaison_b",
    "office_d", "invited", "sysadmin", "secadmin", "auditor",
]  # fmt: skip
SEPARATED = ["sysadmin", "secadmin", "auditor"]
READ_ONLY = frozenset({"leader", "observer", "invited", "sysadmin", "secadmin", "auditor"})
CITY_OVERSIGHT = frozenset({"office", "inspector", "leader", "observer"})
UNIT_OF = {"liaison_a": "A", "head_a": "A", "liaison_b": "B"}
UNIT_KINDS = frozenset({"matter", "assignment", "report", "attachment", "extension", "urging"})
# Whose own message each notification is.
NOTIFIED = {"A": "liaison_a", "B": "liaison_b"}
# Who opens an owner's objects (proof that a 404 elsewhere is not a wrong URL).
VIEWER = {"A": "liaison_a", "B": "liaison_b", "D": "office_d"}

# What each signed-in person does for himself: his messages, settings, password, factor.
PERSONAL = [
    "accounts:logout", "accounts:password_change",
    "mfa:settings", "mfa:renew", "mfa:remove", "mfa:verify", "mfa:enrol", "mfa:enrol_done",
    "mfa:cancel",
    "notify:read", "notify:open", "notify:read_all", "notify:preferences",
    "api:notification-read", "api:notification-read-all", "api:notification-preferences",
    "ledger:filter_save", "ledger:filter_delete",
]  # fmt: skip
ALLOWED: dict[str, list[str]] = {
    # 立项审批, 撤销审批, 销号 / 续办, 延期审批 (the leader's step).
    "leader": [
        "ledger:matter_action:approve",
        "ledger:matter_action:reject",
        "ledger:matter_action:cancel",
        "ledger:matter_action:cancel_approve",
        "ledger:matter_action:cancel_refuse",
        "followup:matter_closing:close",
        "followup:matter_closing:continue",
        "followup:extension_decide:approve",
        "followup:extension_decide:reject",
        "api:matter-approve",
        "api:matter-reject",
        "api:matter-cancel",
        "api:matter-cancel-approve",
        "api:matter-cancel-refuse",
        "api:matter-followup-close",
        "api:matter-followup-continue-",
        "api:extension-approve",
        "api:extension-reject",
    ],
    "observer": [],
    "invited": [],
    # Units, users, the calendar, message channels.
    "sysadmin": ["org:*", "accounts:user_*", "workcal:*", "notify_admin:*"],
    # Role grants, the security policy, account locks, second factors.
    "secadmin": [
        "accounts:grant_*",
        "accounts:security_policy",
        "accounts:lock_release",
        "mfa:devices",
        "mfa:device",
    ],
    "auditor": ["audit:*"],
}


def allowed(user: str, op: Op) -> bool:
    globs = PERSONAL + ALLOWED.get(user, [])
    return any(fnmatchcase(op.key, g) for g in globs)


def users_for(op: Op, turn: int) -> list[str]:
    """The users an op is tried with: everyone, except that the three administrators (the
    same 三员分立 gate keeps each of them out of the business) take turns, one per op among
    those the op is not allowed to, so the matrix stays fast and each meets a third."""
    others = [u for u in USERS if u not in SEPARATED]
    refused = [u for u in SEPARATED if not allowed(u, op)] or SEPARATED
    return [*others, refused[turn % len(refused)]]


def sees(user: str, kind: str, owner: str) -> bool:
    """Whether ``user`` may fetch the object of ``kind`` owned by ``owner``. Objects of no
    unit (owner ``*``) are left to the role checks: true here."""
    if owner == "*":
        return True
    if kind == "notification":
        return NOTIFIED[owner] == user
    if kind not in UNIT_KINDS and kind != "document":
        return True
    if user in CITY_OVERSIGHT:
        return True
    if user == "office_d":
        return owner == "D"
    return kind != "document" and UNIT_OF.get(user) == owner


def sees_kind(user: str, kind: str, owners: list[str]) -> bool:
    """Whether the user sees objects of this kind at all: a hidden one must then be a 404
    (not a 403 that tells the object exists)."""
    return kind == "notification" or any(sees(user, kind, o) for o in owners)


def hidden_status(user: str, kind: str, owners: list[str]) -> frozenset[int]:
    return frozenset({404}) if sees_kind(user, kind, owners) else frozenset({403, 404})


def viewer(kind: str, owner: str) -> str:
    """Someone who sees the object, to show its URL is right."""
    if kind == "notification":
        return NOTIFIED[owner]
    if kind == "document" and owner != "D":
        return "office"
    return VIEWER[owner]
