from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
import time_machine

from luoshi.reminders.models import Reminder
from luoshi.reminders.sweep import sweep

SHANGHAI_MORNING = "08:00 +0800"


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel("2026-11-23 09:30 +0800", tick=False) as traveller:
        yield traveller


def sweep_on(clock: Any, day: date) -> dict[str, int]:
    """Run the morning sweep as the loop would on ``day`` at 08:00."""
    clock.move_to(datetime.fromisoformat(f"{day.isoformat()} 08:00+08:00"))
    return sweep()


def fired(rule: str | None = None, **filters: Any) -> list[tuple[date, str, int]]:
    qs = Reminder.objects.all()
    if rule:
        qs = qs.filter(rule=rule)
    return sorted({(r.fired_on, r.rule, r.stage) for r in qs.filter(**filters)})


@pytest.fixture(autouse=True)
def sms_gateway_configured(settings: Any) -> None:
    settings.LUOSHI_SMS_URL = "http://127.0.0.1:9/sms"
