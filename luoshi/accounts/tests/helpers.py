"""Small helpers shared by the security tests of accounts."""

from __future__ import annotations

from typing import Any

LOGIN_URL = "/accounts/login/"
SAME_ERROR = "用户名或密码错误，请重新输入。"


def audit_events(event: str) -> list[Any]:
    from luoshi.audit.models import AuditRecord

    return list(AuditRecord.objects.filter(event=event).order_by("seq"))


def post_login(client: Any, username: str, password: str, address: str = "10.1.1.1") -> Any:
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)
