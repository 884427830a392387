"""Read-side queries for the calendar pages and the schedule banner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import CALENDAR_EDITORS
from luoshi.workcal.calendar import known_years, month_days
from luoshi.workcal.models import CalendarDay, CalendarYear, DayKind


def published_years() -> set[int]:
    return set(
        CalendarYear.objects.filter(status=CalendarYear.Status.PUBLISHED).values_list(
            "year", flat=True
        )
    )


def missing_schedule_banner(user: Any) -> str:
    """A warning when this year's (everyone) or next year's (editors) schedule is missing."""
    today = timezone.localdate()
    # Shown on every page: read the in-memory calendar snapshot, not the table.
    years = known_years()
    if today.year not in years:
        return (
            f"{today.year} 年的节假日安排尚未录入工作日历，所有期限都无法计算。"
            "请管理员立即录入并发布。"
        )
    if today.year + 1 not in years and access.has_role(user, CALENDAR_EDITORS):
        return (
            f"{today.year + 1} 年的节假日安排尚未录入。国务院办公厅公布后，"
            f"请在“工作日历”中录入并发布，否则跨年期限将无法计算。"
        )
    return ""


def year_rows() -> list[CalendarYear]:
    return list(
        CalendarYear.objects.annotate(
            holiday_count=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            workday_count=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        ).order_by("-year")
    )


@dataclass
class DayCell:
    day: date | None
    is_workday: bool = False
    override: CalendarDay | None = None
    is_today: bool = False


def year_months(year: int) -> list[dict[str, Any]]:
    """Twelve month grids (weeks of Monday–Sunday cells) marked with the year's overrides."""
    overrides = {d.date: d for d in CalendarDay.objects.filter(year_id=year)}
    today = timezone.localdate()
    months = []
    for month in range(1, 13):
        cells: list[DayCell] = [DayCell(None)] * date(year, month, 1).weekday()
        for day in month_days(year, month):
            override = overrides.get(day)
            if override is not None:
                workday = override.kind == DayKind.WORKDAY
            else:
                workday = day.weekday() < 5
            cells.append(DayCell(day, workday, override, day == today))
        while len(cells) % 7:
            cells.append(DayCell(None))
        weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
        months.append({"month": month, "weeks": weeks})
    return months
