"""Deadline rules of the supervision offices, on the working-day calendar."""

from __future__ import annotations

from datetime import date

from luoshi.core.errors import ServiceError
from luoshi.ledger.models import LedgerPolicy, Matter, Source
from luoshi.org.models import Unit
from luoshi.workcal import calendar


def policy_for(office: Unit) -> LedgerPolicy:
    policy, _ = LedgerPolicy.objects.get_or_create(office=office)
    return policy


def matter_due_date(matter: Matter, policy: LedgerPolicy, approved_on: date) -> date | None:
    """An instruction asking for a result: 7 working days from receipt; with no stated limit:
    15; any other source takes its stated date. Long-term matters may have none."""
    try:
        if matter.source == Source.INSTRUCTION:
            received = matter.received_on or approved_on
            if matter.result_required:
                return calendar.add_workdays(received, policy.result_report_workdays)
            if matter.stated_deadline:
                return matter.stated_deadline
            return calendar.add_workdays(received, policy.default_workdays)
    except calendar.CalendarYearMissing as exc:
        raise ServiceError(str(exc)) from None
    if matter.stated_deadline:
        return matter.stated_deadline
    if matter.long_term:
        return None
    raise ServiceError("请填写完成时限，或标为长期跟踪。", field="stated_deadline")


def workdays_after(start: date, days: int) -> date:
    try:
        return calendar.add_workdays(start, days)
    except calendar.CalendarYearMissing as exc:
        raise ServiceError(str(exc)) from None


def require_workday(day: date, field: str) -> None:
    """A deadline someone chooses must fall on a working day of a year the calendar knows."""
    try:
        workday = calendar.is_workday(day)
    except calendar.CalendarYearMissing as exc:
        raise ServiceError(str(exc), field=field) from None
    if not workday:
        raise ServiceError(f"{day:%Y年%m月%d日}不是工作日，请另选日期。", field=field)
