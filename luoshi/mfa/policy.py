"""Who must use a second factor: holders of any role in the security policy's ``mfa_roles``.

The roles level 3 names (督查室管理员 and the three administrators) always count, whatever
the policy row says; the 安全管理员 may add others on the 安全策略 page."""

from __future__ import annotations

from typing import Any

from luoshi.accounts import access
from luoshi.accounts.roles import Role

ALWAYS_REQUIRED = frozenset({Role.OFFICE_ADMIN, Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


def required_roles() -> frozenset[str]:
    try:
        from luoshi.accounts.policy import current_policy
    except ImportError:  # the security policy is not installed: the level-3 minimum
        return frozenset(str(r) for r in ALWAYS_REQUIRED)
    raw = getattr(current_policy(), "mfa_roles", "") or ""
    configured = {r.strip() for r in str(raw).split(",") if r.strip()}
    return frozenset(configured | {str(r) for r in ALWAYS_REQUIRED})


def required_for(user: Any) -> bool:
    """True when the account holds a role that must log in with a second factor."""
    return access.has_role(user, required_roles())
