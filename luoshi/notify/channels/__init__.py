"""Channels behind one interface: ``send(row) -> Result`` for every kind of outbox row.

Each channel module exposes ``send(row: Outbox) -> Result``. HTTP channels (SMS gateway,
企业微信 and 钉钉 robots) pass the row's key as an idempotency id so a gateway can drop a
message repeated after a crash between sending and recording.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luoshi.notify.models import Outbox


@dataclass(frozen=True)
class Result:
    ok: bool
    detail: str = ""
    error: str = ""
    # A failure that no retry can fix (no address, channel not configured at all).
    permanent: bool = False


MODULES = {
    "inapp": "luoshi.notify.channels.inapp",
    "email": "luoshi.notify.channels.email",
    "sms": "luoshi.notify.channels.sms",
    "wecom": "luoshi.notify.channels.wecom",
    "dingtalk": "luoshi.notify.channels.dingtalk",
}


def send(row: Outbox) -> Result:
    module = MODULES.get(row.channel)
    if module is None:
        return Result(ok=False, error=f"未知渠道：{row.channel}", permanent=True)
    result: Result = import_module(module).send(row)
    return result
