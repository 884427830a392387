"""The ledger's background steps."""

from __future__ import annotations

from luoshi.ledger import lights


def lights_daily() -> str:
    """Just after midnight (00:05): a new day can turn tasks yellow or red without anyone
    touching them."""
    counts = lights.refresh_all()
    return f"红灯 {counts['red']} 项，黄灯 {counts['yellow']} 项，绿灯 {counts['green']} 项"
