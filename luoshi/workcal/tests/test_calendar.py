"""Working-day arithmetic against the official 2025 and 2026 schedules."""

from datetime import date

import pytest

from luoshi.workcal import calendar
from luoshi.workcal.calendar import CalendarYearMissing, build_snapshot
from luoshi.workcal.seed import package_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(calendar_seeded: None) -> None:
    pass


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Spring Festival 2025: Jan 28 – Feb 4 off; Sunday Jan 26 and Saturday Feb 8 worked.
        (date(2025, 1, 26), True),
        (date(2025, 1, 27), True),
        (date(2025, 1, 28), False),
        (date(2025, 2, 4), False),
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),
        (date(2025, 2, 9), False),
        # National Day 2025: Oct 1 – 8 off; Sunday Sep 28 and Saturday Oct 11 worked.
        (date(2025, 9, 28), True),
        (date(2025, 10, 1), False),
        (date(2025, 10, 8), False),
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),
        # Spring Festival 2026: Feb 15 – 23 off; Saturdays Feb 14 and Feb 28 worked.
        (date(2026, 2, 14), True),
        (date(2026, 2, 16), False),
        (date(2026, 2, 23), False),
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),
        # National Day 2026: Oct 1 – 7 off; Sunday Sep 20 and Saturday Oct 10 worked.
        (date(2026, 9, 20), True),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        # Plain days.
        (date(2026, 11, 23), True),
        (date(2026, 11, 22), False),
    ],
)
def test_it_knows_official_workdays(day: date, expected: bool) -> None:
    assert calendar.is_workday(day) is expected


def test_it_adds_workdays_across_national_day_2025() -> None:
    # Tuesday Sep 30 + 1 working day skips the eight days off to Thursday Oct 9.
    assert calendar.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    # … and the make-up Saturday Oct 11 counts: 7 working days from Sep 26 (Fri).
    # Sep 28 (Sun, worked), 29, 30, Oct 9, 10, 11 (Sat, worked), 13.
    assert calendar.add_workdays(date(2025, 9, 26), 7) == date(2025, 10, 13)


def test_it_adds_fifteen_workdays_across_spring_festival_2026() -> None:
    # Feb 10 (Tue) + 15: 11, 12, 13, 14 (Sat, worked), 24, 25, 26, 27, 28 (Sat, worked),
    # Mar 2, 3, 4, 5, 6, 9.
    assert calendar.add_workdays(date(2026, 2, 10), 15) == date(2026, 3, 9)


def test_it_treats_zero_and_negative_days() -> None:
    assert calendar.add_workdays(date(2026, 11, 23), 0) == date(2026, 11, 23)
    # Zero from a day off rolls forward to the next working day.
    assert calendar.add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert calendar.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert calendar.add_workdays(date(2026, 10, 12), -2) == date(2026, 10, 9)
    assert calendar.add_workdays(date(2026, 10, 11), -2) == date(2026, 10, 9)


def test_it_counts_workdays_between_dates() -> None:
    assert calendar.workdays_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert calendar.workdays_between(date(2025, 10, 9), date(2025, 9, 30)) == -1
    assert calendar.workdays_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
    start = date(2026, 2, 10)
    end = calendar.add_workdays(start, 15)
    assert calendar.workdays_between(start, end) == 15


def test_it_refuses_a_year_that_was_not_entered() -> None:
    with pytest.raises(CalendarYearMissing) as err:
        calendar.is_workday(date(2027, 1, 4))
    assert err.value.year == 2027
    assert "2027 年" in str(err.value)
    # Crossing into an unknown year is refused as well, never guessed.
    with pytest.raises(CalendarYearMissing, match="2027"):
        calendar.add_workdays(date(2026, 12, 28), 10)
    with pytest.raises(CalendarYearMissing, match="2027"):
        calendar.workdays_between(date(2026, 12, 1), date(2027, 1, 10))


def test_it_refuses_to_jump_over_a_missing_year() -> None:
    snap = build_snapshot({2026, 2028}, [])
    with pytest.raises(CalendarYearMissing, match="2027"):
        snap.add_workdays(date(2026, 12, 30), 5)


def test_it_matches_the_package_for_every_day_it_knows() -> None:
    from chinese_calendar import is_workday as package_is_workday

    years = sorted(package_schedule())
    day = date(years[0], 1, 1)
    while day.year <= years[-1]:
        assert calendar.is_workday(day) == package_is_workday(day), day
        day = date.fromordinal(day.toordinal() + 1)


def test_it_answers_a_million_calls_without_a_query(django_assert_num_queries) -> None:
    calendar.is_workday(date(2026, 1, 5))  # load once
    with django_assert_num_queries(0):
        d = date(2025, 1, 2)
        for i in range(20_000):
            calendar.add_workdays(d, i % 30)
            calendar.is_workday(d)
