"""Quiet hours: SMS and robot messages go out only in working hours on working days.

A message due outside them waits until the next opening (08:30 of the next working day by
default, ``LUOSHI_WORK_HOURS``). When the calendar does not know a day yet we do not guess
that it is a working day: the message waits until the next morning and is checked again.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from luoshi.workcal import calendar


def work_hours() -> tuple[time, time]:
    start, end = settings.LUOSHI_WORK_HOURS
    return start, end


def next_open(now: datetime) -> datetime:
    """``now`` when it falls in working hours, else the start of the next working period."""
    start, end = work_hours()
    local = timezone.localtime(now)
    day = local.date()
    for _ in range(40):  # the longest run of days off in a year is well under 40 days
        try:
            working = calendar.is_workday(day)
        except calendar.CalendarYearMissing:
            # Unknown year: check again at the next morning's opening.
            return _at(day, start, local)
        if working:
            opening = timezone.make_aware(datetime.combine(day, start))
            closing = timezone.make_aware(datetime.combine(day, end))
            if local < opening:
                return opening
            if local < closing:
                return now
        day += timedelta(days=1)
    return _at(day, start, local)


def _at(day, start: time, local: datetime) -> datetime:
    moment = timezone.make_aware(datetime.combine(day, start))
    if moment <= local:
        moment = timezone.make_aware(datetime.combine(day + timedelta(days=1), start))
    return moment


def is_open(now: datetime) -> bool:
    return next_open(now) == now
