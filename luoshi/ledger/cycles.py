"""Report cycles on the working-day calendar: when the next 办理情况反馈 is due.

A report for a period is due on the period's last working day (weekly: the week's last
working day, half-monthly: the 15th or the month's end, and so on). The first period is
the one that leaves the unit at least ``FIRST_REPORT_MIN_WORKDAYS`` after signing; after
each report the next period follows. No periodic report is due after the task's own
deadline: the completion request is the final report.
"""

from __future__ import annotations

from datetime import date, timedelta

from luoshi.ledger.models import ReportCycle
from luoshi.workcal import calendar

FIRST_REPORT_MIN_WORKDAYS = 3


def _month_end(year: int, month: int) -> date:
    return calendar.month_days(year, month)[-1]


def period_of(cycle: str, d: date) -> tuple[date, date]:
    """The (first, last) calendar day of the period of ``cycle`` that contains ``d``."""
    if cycle == ReportCycle.WEEKLY:
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=6)
    if cycle == ReportCycle.HALF_MONTHLY:
        if d.day <= 15:
            return d.replace(day=1), d.replace(day=15)
        return d.replace(day=16), _month_end(d.year, d.month)
    if cycle == ReportCycle.MONTHLY:
        return d.replace(day=1), _month_end(d.year, d.month)
    if cycle == ReportCycle.QUARTERLY:
        first_month = (d.month - 1) // 3 * 3 + 1
        return date(d.year, first_month, 1), _month_end(d.year, first_month + 2)
    raise ValueError(cycle)


def _last_workday(start: date, end: date) -> date | None:
    d = end
    while d >= start:
        if calendar.is_workday(d):
            return d
        d -= timedelta(days=1)
    return None


def _periods_from(cycle: str, d: date):
    """Each period's due date, from the period containing ``d`` on (periods without a working
    day, such as a week of Spring Festival, have none and are skipped)."""
    start, end = period_of(cycle, d)
    for _ in range(600):
        due = _last_workday(start, end)
        if due is not None:
            yield due
        start, end = period_of(cycle, end + timedelta(days=1))


def first_report_due(cycle: str, signed_on: date, task_due: date | None) -> date | None:
    if cycle == ReportCycle.ONCE:
        return None
    try:
        for due in _periods_from(cycle, signed_on):
            if calendar.workdays_between(signed_on, due) >= FIRST_REPORT_MIN_WORKDAYS:
                return _within(due, task_due)
    except calendar.CalendarYearMissing:
        # The calendar must say when a report is due; until next year is published, none is.
        return None
    return None


def report_due_after(
    cycle: str, covered: date, reported_on: date, task_due: date | None
) -> date | None:
    """The next due date once the period ending ``covered`` has its report (sent on
    ``reported_on``): the first period due after both."""
    if cycle == ReportCycle.ONCE:
        return None
    after = max(covered, reported_on)
    try:
        for due in _periods_from(cycle, after):
            if due > after:
                return _within(due, task_due)
    except calendar.CalendarYearMissing:
        return None
    return None


def _within(due: date, task_due: date | None) -> date | None:
    if task_due is not None and due > task_due:
        return None
    return due
