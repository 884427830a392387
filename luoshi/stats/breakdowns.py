"""Matters counted by status, source, category, priority and light, and the monthly trend:
each one grouped SQL query over the same scope as the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from luoshi.ledger.filters import LIGHT_CHOICES, on_time_q
from luoshi.ledger.models import Category, Priority, Source
from luoshi.ledger.states import AssignmentStatus, MatterStatus
from luoshi.stats.figures import Scope, matters_in_scope, tasks_in_scope

# dimension → (label, choices); the ledger filters on each by the same name.
DIMENSIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "status": ("事项状态", [(str(v), str(label)) for v, label in MatterStatus.choices]),
    "source": ("事项来源", [(str(v), str(label)) for v, label in Source.choices]),
    "category": ("督查类别", [(str(v), str(label)) for v, label in Category.choices]),
    "priority": ("重要程度", [(str(v), str(label)) for v, label in Priority.choices]),
    "light": ("亮灯情况", [(str(v), str(label)) for v, label in LIGHT_CHOICES]),
}


@dataclass
class Bucket:
    key: str
    label: str
    count: int


def totals(scope: Scope) -> dict[str, list[Bucket]]:
    """Matters in scope per value of each dimension, every value listed (zeros included) in
    the order of its choices. Unlit matters are not among the lights."""
    matters = matters_in_scope(scope).order_by()
    result = {}
    for name, (_label, choices) in DIMENSIONS.items():
        counts = dict(matters.values_list(name).annotate(n=Count("id")).values_list(name, "n"))
        result[name] = [Bucket(value, label, counts.get(value, 0)) for value, label in choices]
    return result


@dataclass
class Month:
    month: int
    start: date
    end: date
    assigned: int = 0  # tasks 交办 in the month
    completed: int = 0  # tasks 办结 in the month (still completed)
    on_time: int = 0  # … of which on or before their deadline
    approved: int = 0  # matters 立项 in the month
    closed: int = 0  # matters 销号 in the month

    @property
    def label(self) -> str:
        return f"{self.month}月"

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.month, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "assigned": self.assigned, "completed": self.completed, "on_time": self.on_time,
                "approved": self.approved, "closed": self.closed}  # fmt: skip


def trend_year(scope: Scope, today: date) -> int:
    if scope.year is not None:
        return scope.year
    return scope.date_from.year if scope.date_from else today.year


def _month_end(year: int, month: int) -> date:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def trend(scope: Scope, today: date) -> list[Month]:
    """Twelve months of the scope's year (the period's, or this year without either):
    four grouped queries, months in local time."""
    year = trend_year(scope, today)
    tz = timezone.get_current_timezone()
    months = {m: Month(m, date(year, m, 1), _month_end(year, m)) for m in range(1, 13)}
    tasks = tasks_in_scope(scope).order_by()
    assigned = (
        tasks.filter(assigned_at__year=year)
        .values(m=ExtractMonth("assigned_at", tzinfo=tz))
        .annotate(n=Count("id"))
    )
    for row in assigned:
        months[row["m"]].assigned = row["n"]
    completed = (
        tasks.filter(status=AssignmentStatus.COMPLETED, completed_at__year=year)
        .values(m=ExtractMonth("completed_at", tzinfo=tz))
        .annotate(n=Count("id"), on_time=Count("id", filter=on_time_q()))
    )
    for row in completed:
        months[row["m"]].completed = row["n"]
        months[row["m"]].on_time = row["on_time"]
    matters = matters_in_scope(scope).order_by()
    for column, attr in (("approved_at", "approved"), ("closed_at", "closed")):
        rows = (
            matters.filter(Q(**{f"{column}__year": year}))
            .values(m=ExtractMonth(column, tzinfo=tz))
            .annotate(n=Count("id"))
        )
        for row in rows:
            setattr(months[row["m"]], attr, row["n"])
    return list(months.values())
