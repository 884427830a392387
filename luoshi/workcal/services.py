"""The only code that writes the working-day calendar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import CALENDAR_EDITORS
from luoshi.core.errors import ServiceError
from luoshi.workcal import calendar
from luoshi.workcal.models import CalendarDay, CalendarYear, DayKind
from luoshi.workcal.seed import package_schedule, package_source

MAX_RANGE_DAYS = 31


def _after_write() -> None:
    transaction.on_commit(calendar.invalidate)


def _require_editor(actor: Any) -> None:
    if actor is not None:
        access.require(actor, CALENDAR_EDITORS)


def _touch(year: CalendarYear, actor: Any) -> None:
    year.updated_by = actor
    year.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def calendar_seed_from_package(actor: Any = None) -> list[int]:
    """Add every year the package knows and the table lacks; entered years are left alone."""
    _require_editor(actor)
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    added = []
    for year, rows in sorted(package_schedule().items()):
        if year in existing:
            continue
        cy = CalendarYear.objects.create(
            year=year,
            status=CalendarYear.Status.PUBLISHED,
            source=package_source(),
            updated_by=actor,
        )
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d, year=cy, kind=kind, name=name, updated_by=actor)
            for d, kind, name in rows
        )
        added.append(year)
    if added:
        _after_write()
    return added


def _year_or_error(year: int) -> CalendarYear:
    found = CalendarYear.objects.select_for_update().filter(year=year).first()
    if found is None:
        raise ServiceError(f"{year} 年尚未建立，请先新增年份。", field="start")
    return found


@transaction.atomic
def calendar_year_create(actor: Any, year: int, note: str = "") -> CalendarYear:
    _require_editor(actor)
    if not 2000 <= year <= 2100:
        raise ServiceError("年份应在 2000 到 2100 之间。", field="year")
    if CalendarYear.objects.filter(year=year).exists():
        raise ServiceError(f"{year} 年已存在。", field="year")
    cy = CalendarYear.objects.create(
        year=year, status=CalendarYear.Status.DRAFT, source="人工录入", note=note, updated_by=actor
    )
    _after_write()
    return cy


@transaction.atomic
def calendar_year_set_status(actor: Any, year: int, status: str) -> CalendarYear:
    """Publish a year (its dates become usable) or take it back to draft for correction."""
    _require_editor(actor)
    cy = _year_or_error(year)
    if status not in CalendarYear.Status.values:
        raise ServiceError("状态无效。")
    if (
        status == CalendarYear.Status.PUBLISHED
        and not cy.days.filter(kind=DayKind.HOLIDAY).exists()
    ):
        raise ServiceError(f"{year} 年还没有录入任何放假日期，不能发布。")
    cy.status = status
    cy.updated_by = actor
    cy.save(update_fields=["status", "updated_by", "updated_at"])
    _after_write()
    return cy


def _check_day(day: date, kind: str) -> None:
    if kind not in DayKind.values:
        raise ServiceError("类型无效。", field="kind")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise ServiceError(
            f"{day:%Y-%m-%d} 是周一至周五，本来就是工作日，不能设为调休上班。", field="start"
        )


@transaction.atomic
def calendar_days_set(actor: Any, start: date, end: date, kind: str, name: str) -> int:
    """Mark each day from ``start`` to ``end`` (inclusive) as a holiday or a make-up workday."""
    _require_editor(actor)
    if end < start:
        raise ServiceError("结束日期不能早于开始日期。", field="end")
    if start.year != end.year:
        raise ServiceError("开始和结束日期须在同一年内。", field="end")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ServiceError(f"一次最多设置 {MAX_RANGE_DAYS} 天。", field="end")
    name = (name or "").strip()[:50]
    cy = _year_or_error(start.year)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    for day in days:
        _check_day(day, kind)
    now = timezone.now()
    for day in days:
        CalendarDay.objects.update_or_create(
            date=day,
            defaults={
                "year": cy,
                "kind": kind,
                "name": name,
                "updated_by": actor,
                "updated_at": now,
            },
        )
    _touch(cy, actor)
    _after_write()
    return len(days)


@transaction.atomic
def calendar_day_delete(actor: Any, day: date) -> None:
    """Return a day to the plain rule (weekday works, weekend rests)."""
    _require_editor(actor)
    cy = _year_or_error(day.year)
    deleted, _ = CalendarDay.objects.filter(date=day).delete()
    if not deleted:
        raise ServiceError(f"{day:%Y-%m-%d} 没有调整记录。")
    _touch(cy, actor)
    _after_write()
