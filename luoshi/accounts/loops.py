"""The daily accounts step: disable unused and exposed demo accounts, purge old attempts."""

from __future__ import annotations

from luoshi.accounts import lockout, services


def accounts_daily() -> str:
    from luoshi.demo.guard import disable_demo_accounts

    inactive = services.disable_inactive_accounts()
    demo = disable_demo_accounts()
    purged = lockout.purge_attempts()
    return f"停用长期未用账户 {len(inactive)} 个，演示账户 {len(demo)} 个；{purged}"
