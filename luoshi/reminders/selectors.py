"""Reading reminders: the office's log of what was sent to whom."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from luoshi.reminders.models import Reminder


def office_log(office: Any, *, day: date | None, rule: str = "", q: str = "") -> QuerySet[Reminder]:
    qs = Reminder.objects.filter(office=office).select_related("recipient", "unit")
    if day is not None:
        qs = qs.filter(fired_on=day)
    if rule:
        qs = qs.filter(rule=rule)
    if q:
        qs = qs.filter(text__icontains=q)
    return qs.order_by("-fired_on", "rule", "id")


def counts_by_rule(qs: QuerySet[Reminder]) -> dict[str, int]:
    return dict(qs.order_by().values_list("rule").annotate(n=Count("id")).values_list("rule", "n"))


def last_day(office: Any) -> date | None:
    return (
        Reminder.objects.filter(office=office).order_by("-fired_on")
        .values_list("fired_on", flat=True).first()
    )  # fmt: skip
