"""Matters counted by status, source, category, priority and light, and the monthly trend:
grouped SQL queries over the same scope as the figures (three in all)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, When
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from luoshi.ledger.filters import LIGHT_CHOICES, on_time_q
from luoshi.ledger.models import Category, Priority, Source
from luoshi.ledger.states import AssignmentStatus, MatterStatus
from luoshi.stats.figures import Scope, matters_in_scope, tasks_in_scope
from luoshi.stats.nojit import no_jit

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


@no_jit
def totals(scope: Scope) -> dict[str, list[Bucket]]:
    """Matters in scope per value of each dimension, every value listed (zeros included) in
    the order of its choices. Unlit matters are not among the lights. One pass over the
    matters, grouped by every dimension at once (a few hundred combinations at most)."""
    names = list(DIMENSIONS)
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    grouped = matters_in_scope(scope).order_by().values_list(*names).annotate(n=Count("id"))
    for *values, n in grouped:
        for name, value in zip(names, values, strict=True):
            counts[name][value] = counts[name].get(value, 0) + n
    return {
        name: [Bucket(value, label, counts[name].get(value, 0)) for value, label in choices]
        for name, (_label, choices) in DIMENSIONS.items()
    }


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


def _month_of(column: str, year: int, also: Q | None = None) -> Case:
    """The local month of ``column`` when it falls in ``year`` (and ``also`` holds), else
    NULL: one pass can then count the rows by two different months."""
    tz = timezone.get_current_timezone()
    when = Q(**{f"{column}__year": year}) & (also or Q())
    return Case(When(when, then=ExtractMonth(column, tzinfo=tz)), output_field=IntegerField())


@no_jit
def trend(scope: Scope, today: date) -> list[Month]:
    """Twelve months of the scope's year (the period's, or this year without either): two
    grouped queries (tasks by month assigned and month completed, matters by month approved
    and month closed), months in local time."""
    year = trend_year(scope, today)
    months = {m: Month(m, date(year, m, 1), _month_end(year, m)) for m in range(1, 13)}
    done = Q(status=AssignmentStatus.COMPLETED)
    tasks = (
        tasks_in_scope(scope)
        .filter(Q(assigned_at__year=year) | (done & Q(completed_at__year=year)))
        .order_by()
        .values(a=_month_of("assigned_at", year), c=_month_of("completed_at", year, done))
        .annotate(n=Count("id"), on_time=Count("id", filter=on_time_q()))
    )
    for row in tasks:
        if row["a"]:
            months[row["a"]].assigned += row["n"]
        if row["c"]:
            months[row["c"]].completed += row["n"]
            months[row["c"]].on_time += row["on_time"]
    matters = (
        matters_in_scope(scope)
        .filter(Q(approved_at__year=year) | Q(closed_at__year=year))
        .order_by()
        .values(a=_month_of("approved_at", year), c=_month_of("closed_at", year))
        .annotate(n=Count("id"))
    )
    for m in matters:
        if m["a"]:
            months[m["a"]].approved += m["n"]
        if m["c"]:
            months[m["c"]].closed += m["n"]
    return list(months.values())
