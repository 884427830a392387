"""Keep ``Assignment.next_remind_on`` right whenever a service changes a matter."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.dispatch import receiver

from luoshi.ledger.signals import matter_changed
from luoshi.reminders.scheduling import reschedule_matter


@receiver(matter_changed, dispatch_uid="reminders.reschedule")
def on_matter_changed(sender: Any, matter: Any, today: date, **kwargs: Any) -> None:
    reschedule_matter(matter, today)
