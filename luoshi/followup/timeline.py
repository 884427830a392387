"""The matter page's one timeline and its 挂图作战 chart."""

from __future__ import annotations

from typing import Any

from luoshi.ledger.models import Assignment, Matter


def context(user: Any, matter: Matter, assignments: list[Assignment]) -> dict[str, Any]:
    return {}
