"""The ledger's background steps."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from luoshi.ledger import cycles, lights
from luoshi.ledger.models import Assignment, ReportCycle
from luoshi.ledger.states import AssignmentStatus


def fill_report_dues() -> int:
    """Tasks signed while next year's calendar was missing have no report due date yet;
    once the year is published they get one.

    A waiting task's first due date counts from today, so it is the same for every task of
    a cycle (``first_report_due`` with no deadline), unless that date is past the task's own
    deadline, when it has none: one UPDATE for all cycles."""
    today = timezone.localdate()
    firsts: dict[str, date] = {}
    for value in ReportCycle.values:
        due = cycles.first_report_due(value, today, None)
        if due is not None:
            firsts[value] = due
    if not firsts:
        return 0
    # ``Coalesce`` keeps SQLite (which has no statistics) off the status index: walking it
    # through every running task took 5 times as long as the deadline index.
    waiting = Assignment.objects.alias(state=Coalesce("status", Value(""))).filter(
        Q(due_date__isnull=True) | Q(due_date__gt=today),
        state=AssignmentStatus.IN_PROGRESS, next_report_due__isnull=True,
    )  # fmt: skip
    fits = Q()
    for cycle, due in firsts.items():
        fits |= Q(Q(due_date__isnull=True) | Q(due_date__gte=due), report_cycle=cycle)
    first = Case(*(When(report_cycle=cycle, then=Value(due)) for cycle, due in firsts.items()))
    return waiting.filter(fits).order_by().update(next_report_due=first)


def lights_daily() -> str:
    """Just after midnight (00:05): a new day can turn tasks yellow or red without anyone
    touching them."""
    filled = fill_report_dues()
    counts = lights.refresh_all()
    summary = f"红灯 {counts['red']} 项，黄灯 {counts['yellow']} 项，绿灯 {counts['green']} 项"
    return summary + (f"；补定反馈时限 {filled} 项" if filled else "")
