"""What the matter page's closing panel (呈报, 销号, 续办, 归档, 撤销) needs for this user."""

from __future__ import annotations

from typing import Any

from luoshi.ledger.models import Matter


def context(user: Any, matter: Matter) -> dict[str, Any]:
    return {}
