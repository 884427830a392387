"""The ledger's background steps."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from luoshi.ledger import cycles, lights
from luoshi.ledger.models import Assignment, ReportCycle
from luoshi.ledger.states import AssignmentStatus


def fill_report_dues() -> int:
    """Tasks signed while next year's calendar was missing have no report due date yet;
    once the year is published they get one."""
    today = timezone.localdate()
    filled = 0
    waiting = Assignment.objects.filter(
        Q(due_date__isnull=True) | Q(due_date__gt=today),
        status=AssignmentStatus.IN_PROGRESS, next_report_due__isnull=True,
    ).exclude(report_cycle=ReportCycle.ONCE)  # fmt: skip
    for a in waiting.only("pk", "report_cycle", "due_date").iterator(chunk_size=500):
        due = cycles.first_report_due(a.report_cycle, today, a.due_date)
        if due is not None:
            Assignment.objects.filter(pk=a.pk, next_report_due__isnull=True).update(
                next_report_due=due
            )
            filled += 1
    return filled


def lights_daily() -> str:
    """Just after midnight (00:05): a new day can turn tasks yellow or red without anyone
    touching them."""
    filled = fill_report_dues()
    counts = lights.refresh_all()
    summary = f"红灯 {counts['red']} 项，黄灯 {counts['yellow']} 项，绿灯 {counts['green']} 项"
    return summary + (f"；补定反馈时限 {filled} 项" if filled else "")
