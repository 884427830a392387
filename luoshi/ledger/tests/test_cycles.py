from datetime import date

import pytest

from luoshi.ledger import cycles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cycle", "signed", "expected"),
    [
        # Monthly: the month's last working day, unless fewer than 3 working days are left.
        ("monthly", date(2026, 11, 23), date(2026, 11, 30)),
        ("monthly", date(2026, 11, 26), date(2026, 12, 31)),
        # Weekly: Friday; signed Thursday, the first report is the next week's Friday.
        ("weekly", date(2026, 11, 23), date(2026, 11, 27)),
        ("weekly", date(2026, 11, 26), date(2026, 12, 4)),
        # The week of National Day: its last working day is the 调休 Saturday 10 October.
        ("weekly", date(2026, 9, 30), date(2026, 10, 10)),
        ("half_monthly", date(2026, 12, 1), date(2026, 12, 15)),
        ("quarterly", date(2026, 11, 2), date(2026, 12, 31)),
        ("once", date(2026, 11, 23), None),
    ],
)
def test_it_puts_the_first_report_on_the_periods_last_working_day(
    calendar_seeded, cycle, signed, expected
) -> None:
    assert cycles.first_report_due(cycle, signed, date(2026, 12, 31)) == expected


def test_it_moves_on_after_a_report_and_stops_at_the_task_deadline(calendar_seeded) -> None:
    assert cycles.report_due_after("monthly", date(2026, 10, 30), date(2026, 10, 29),
                                   date(2026, 12, 31)) == date(2026, 11, 30)  # fmt: skip
    # Reported late (in December) for November: the next one is December's.
    assert cycles.report_due_after("monthly", date(2026, 11, 30), date(2026, 12, 2),
                                   date(2026, 12, 31)) == date(2026, 12, 31)  # fmt: skip
    # After the task's own deadline the completion request is the final report.
    assert cycles.report_due_after("monthly", date(2026, 11, 30), date(2026, 11, 30),
                                   date(2026, 12, 20)) is None  # fmt: skip


def test_it_does_not_guess_in_a_year_the_calendar_does_not_know(calendar_seeded) -> None:
    assert cycles.first_report_due("monthly", date(2026, 12, 29), None) is None
