"""Demo accounts exist only in demo mode.

Their password is published in the README; outside demo mode an active demo account with
that password is a default account an attacker can use. It is refused at the login page,
disabled by the daily accounts loop, and reported by ``manage.py check --deploy``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, transaction

from luoshi.demo.data import DEMO_PASSWORD, USERS

DEMO_USERNAMES = frozenset(username for username, *_ in USERS)


def is_demo_login(username: str, password: str) -> bool:
    """True for a demo account's published password outside demo mode (no hashing)."""
    return (
        not settings.LUOSHI_DEMO
        and password == DEMO_PASSWORD
        and (username or "").strip().lower() in DEMO_USERNAMES
    )


def exposed_demo_accounts() -> list[Any]:
    """Active demo accounts that still have the published password, outside demo mode."""
    if settings.LUOSHI_DEMO:
        return []
    from luoshi.accounts.models import User

    found = User.objects.filter(username__in=DEMO_USERNAMES, is_active=True)
    return [user for user in found if user.check_password(DEMO_PASSWORD)]


@transaction.atomic
def disable_demo_accounts() -> list[Any]:
    from luoshi.accounts.models import User
    from luoshi.audit.events import Event
    from luoshi.audit.services import audit

    disabled = []
    for user in exposed_demo_accounts():
        if User.objects.filter(pk=user.pk, is_active=True).update(is_active=False):
            audit(
                Event.ACCOUNT_DISABLED,
                actor=None,
                obj=user,
                before={"is_active": True},
                after={"is_active": False},
                detail="非演示模式下停用使用公开演示密码的演示账户",
            )
            disabled.append(user)
    return disabled


@checks.register(checks.Tags.security, deploy=True)
def check_demo_accounts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        exposed = exposed_demo_accounts()
    except DatabaseError:  # not migrated yet: nothing can be exposed
        return []
    if not exposed:
        return []
    names = "、".join(sorted(u.username for u in exposed))
    return [
        checks.Error(
            f"未开启演示模式，但演示账户仍可用公开的演示密码登录：{names}。",
            hint="运行 python manage.py disable_inactive_accounts 停用这些账户，"
            "或由系统管理员为其重置密码。",
            id="luoshi.E101",
        )
    ]
