"""Working-day arithmetic on China's official calendar.

Pure functions over an in-memory snapshot of the calendar table: no query per call.
The snapshot is rebuilt when this process changes the calendar, and otherwise
re-checked against the table at most every ``RECHECK_SECONDS``.

Definitions used everywhere in Luoshi:
- ``add_workdays(d, n)`` with n > 0 is the n-th working day after ``d``; with n < 0 the
  |n|-th working day before ``d``; with n == 0, ``d`` itself when it is a working day,
  else the next working day (a deadline never falls on a day off).
- ``workdays_between(a, b)`` counts the working days after ``a`` up to and including
  ``b`` (negative when ``b`` is before ``a``), so ``add_workdays(a, workdays_between(a, b))
  == b`` for every working day ``b``.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

RECHECK_SECONDS = 10.0


class CalendarYearMissing(ValueError):
    """The official schedule of a year has not been entered: we refuse to guess."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year} 年的节假日安排尚未录入工作日历，无法按工作日计算。"
            f"请管理员在“工作日历”中录入并发布 {year} 年安排。"
        )


@dataclass(frozen=True)
class Snapshot:
    years: frozenset[int]
    holidays: frozenset[int]  # ordinals of days off that would otherwise be weekdays
    makeups: frozenset[int]  # ordinals of 调休 working days that would otherwise be weekends
    workdays: tuple[int, ...]  # sorted ordinals of every working day in the known years
    stamp: object

    def check_year(self, year: int) -> None:
        if year not in self.years:
            raise CalendarYearMissing(year)

    def check_span(self, a: int, b: int) -> None:
        lo, hi = sorted((a, b))
        for year in range(date.fromordinal(lo).year, date.fromordinal(hi).year + 1):
            self.check_year(year)

    def is_workday(self, d: date) -> bool:
        self.check_year(d.year)
        o = d.toordinal()
        if d.weekday() < 5:
            return o not in self.holidays
        return o in self.makeups

    def add_workdays(self, d: date, n: int) -> date:
        self.check_year(d.year)
        o = d.toordinal()
        days = self.workdays
        if n > 0:
            i = bisect_right(days, o) + n - 1
        elif n < 0:
            i = bisect_left(days, o) + n
        else:
            i = bisect_left(days, o)
        if i < 0:
            raise CalendarYearMissing(min(self.years) - 1)
        if i >= len(days):
            raise CalendarYearMissing(max(self.years) + 1)
        result = days[i]
        self.check_span(o, result)
        return date.fromordinal(result)

    def workdays_between(self, a: date, b: date) -> int:
        self.check_span(a.toordinal(), b.toordinal())
        days = self.workdays
        return bisect_right(days, b.toordinal()) - bisect_right(days, a.toordinal())


def build_snapshot(
    years: set[int], overrides: list[tuple[date, str]], stamp: object = None
) -> Snapshot:
    """Build from published years and their (date, kind) overrides; kind is holiday|workday."""
    holidays = {d.toordinal() for d, kind in overrides if kind == "holiday"}
    makeups = {d.toordinal() for d, kind in overrides if kind == "workday"}
    workdays: list[int] = []
    for year in sorted(years):
        o = date(year, 1, 1).toordinal()
        end = date(year, 12, 31).toordinal()
        weekday = date(year, 1, 1).weekday()
        while o <= end:
            if (weekday < 5 and o not in holidays) or (weekday >= 5 and o in makeups):
                workdays.append(o)
            o += 1
            weekday = (weekday + 1) % 7
    return Snapshot(
        frozenset(years), frozenset(holidays), frozenset(makeups), tuple(workdays), stamp
    )


_lock = threading.Lock()
_snapshot: Snapshot | None = None
_checked_at = 0.0


def _table_stamp() -> object:
    from django.db.models import Count, Max

    from luoshi.workcal.models import CalendarDay, CalendarYear

    years = CalendarYear.objects.aggregate(n=Count("year"), t=Max("updated_at"))
    days = CalendarDay.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (years["n"], years["t"], days["n"], days["t"])


def _load(stamp: object) -> Snapshot:
    from luoshi.workcal.models import CalendarDay, CalendarYear

    published = set(
        CalendarYear.objects.filter(status=CalendarYear.Status.PUBLISHED).values_list(
            "year", flat=True
        )
    )
    overrides = list(CalendarDay.objects.filter(year__in=published).values_list("date", "kind"))
    return build_snapshot(published, overrides, stamp)


def get_snapshot() -> Snapshot:
    global _snapshot, _checked_at
    now = time.monotonic()
    snap = _snapshot
    if snap is not None and now - _checked_at < RECHECK_SECONDS:
        return snap
    with _lock:
        if _snapshot is not None and time.monotonic() - _checked_at < RECHECK_SECONDS:
            return _snapshot
        stamp = _table_stamp()
        if _snapshot is None or _snapshot.stamp != stamp:
            _snapshot = _load(stamp)
        _checked_at = time.monotonic()
        return _snapshot


def invalidate() -> None:
    """Forget the snapshot; the next call reloads. Called after every calendar write."""
    global _snapshot, _checked_at
    with _lock:
        _snapshot = None
        _checked_at = 0.0


def is_workday(d: date) -> bool:
    return get_snapshot().is_workday(d)


def add_workdays(d: date, n: int) -> date:
    return get_snapshot().add_workdays(d, n)


def workdays_between(a: date, b: date) -> int:
    return get_snapshot().workdays_between(a, b)


def next_workday(d: date) -> date:
    """The first working day strictly after ``d``."""
    return add_workdays(d, 1)


def known_years() -> frozenset[int]:
    return get_snapshot().years


def month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return [first + timedelta(days=i) for i in range(last.day)]
