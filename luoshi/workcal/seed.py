"""The official schedules shipped in the ``chinesecalendar`` package, as calendar rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from importlib.metadata import version

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_source() -> str:
    return f"chinesecalendar {version('chinesecalendar')}"


def package_schedule() -> dict[int, list[tuple[date, str, str]]]:
    """year → [(date, "holiday"|"workday", Chinese festival name)] for every year it knows."""
    from chinese_calendar import constants

    by_year: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    for day, name in constants.holidays.items():
        by_year[day.year].append((day, "holiday", HOLIDAY_NAMES.get(name, name)))
    for day, name in constants.workdays.items():
        by_year[day.year].append((day, "workday", HOLIDAY_NAMES.get(name, name)))
    return {year: sorted(rows) for year, rows in by_year.items()}
