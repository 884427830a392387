"""Reminders follow the official calendar: National Day 2025 (1–8 October off, Sunday
28 September and Saturday 11 October worked)."""

from __future__ import annotations

from datetime import date, timedelta

from luoshi.ledger.models import Assignment
from luoshi.reminders.rules import Rule
from luoshi.reminders.tests.conftest import fired, sweep_on
from luoshi.workbench.tests.scenario import make_task


def run_days(clock, first: date, last: date) -> list[date]:
    """Sweep every calendar day from ``first`` to ``last``; returns the days it worked."""
    worked = []
    day = first
    while day <= last:
        if sweep_on(clock, day)["workday"]:
            worked.append(day)
        day += timedelta(days=1)
    return worked


def test_it_fires_deadline_stages_on_working_days_only_around_national_day(users, units, clock):
    clock.move_to("2025-09-15 09:00 +0800")
    a = make_task(users, units, "国庆前后到期事项", date(2025, 10, 13), cycle="once")
    worked = run_days(clock, date(2025, 9, 26), date(2025, 10, 14))

    assert date(2025, 9, 28) in worked and date(2025, 10, 11) in worked  # 调休 days
    assert not any(date(2025, 10, d) in worked for d in range(1, 9))
    # 3, 1 and 0 working days before Monday 13 October: Thursday 9 October (the first
    # working day after the holiday), the 调休 Saturday 11 October, and the day itself.
    assert fired(Rule.DEADLINE, object_id=a.pk) == [
        (date(2025, 10, 9), Rule.DEADLINE, 3),
        (date(2025, 10, 11), Rule.DEADLINE, 1),
        (date(2025, 10, 13), Rule.DEADLINE, 0),
    ]


def test_it_fires_three_days_before_on_the_make_up_sunday(users, units, clock):
    clock.move_to("2025-09-15 09:00 +0800")
    a = make_task(users, units, "节后首日到期事项", date(2025, 10, 9), cycle="once")
    run_days(clock, date(2025, 9, 26), date(2025, 10, 10))
    assert fired(Rule.DEADLINE, object_id=a.pk) == [
        (date(2025, 9, 28), Rule.DEADLINE, 3),  # Sunday, a 调休 working day
        (date(2025, 9, 30), Rule.DEADLINE, 1),
        (date(2025, 10, 9), Rule.DEADLINE, 0),
    ]


def test_it_counts_overdue_days_across_the_holiday_and_escalates_to_the_leader(users, units, clock):
    clock.move_to("2025-09-15 09:00 +0800")
    a = make_task(users, units, "节前到期逾期事项", date(2025, 9, 29), cycle="once")
    run_days(clock, date(2025, 9, 29), date(2025, 10, 17))
    # Every 3 working days overdue: 30 Sep (1), 9 Oct (2), 10 Oct (3) → 10 Oct; then
    # 11 Oct (4), 13 (5), 14 (6) → 14 Oct.
    assert fired(Rule.OVERDUE, object_id=a.pk) == [
        (date(2025, 10, 10), Rule.OVERDUE, -3),
        (date(2025, 10, 14), Rule.OVERDUE, -6),
        (date(2025, 10, 17), Rule.OVERDUE, -9),
    ]
    # After 5 working days overdue (Monday 13 October) the responsible leader hears of it.
    escalations = fired(Rule.ESCALATE, object_id=a.pk)
    assert escalations == [(date(2025, 10, 13), Rule.ESCALATE, -5)]
    leader = users["vleader"]
    assert leader.reminders.filter(rule=Rule.ESCALATE).count() == 1
    assert not leader.reminders.filter(rule=Rule.OVERDUE).exists()


def test_it_catches_up_with_the_latest_stage_after_missed_days(users, units, clock):
    clock.move_to("2025-09-15 09:00 +0800")
    a = make_task(users, units, "补发提醒事项", date(2025, 10, 13), cycle="once")
    # The server was off from 26 September to 10 October: the stage due on 9 October
    # fires on 10 October, once; stages are never sent twice.
    sweep_on(clock, date(2025, 10, 10))
    sweep_on(clock, date(2025, 10, 10))
    assert fired(Rule.DEADLINE, object_id=a.pk) == [(date(2025, 10, 10), Rule.DEADLINE, 3)]
    sweep_on(clock, date(2025, 10, 11))
    assert [s for _d, _r, s in fired(Rule.DEADLINE, object_id=a.pk)] == [3, 1]


def test_it_reads_only_tasks_whose_day_has_come(users, units, clock, django_assert_max_num_queries):
    clock.move_to("2025-09-15 09:00 +0800")
    a = make_task(users, units, "远期事项", date(2025, 12, 31), cycle="once")
    a.refresh_from_db()
    # Three working days before the deadline is the first reminder day.
    assert a.next_remind_on == date(2025, 12, 26)
    counts = sweep_on(clock, date(2025, 9, 16))
    assert counts["tasks"] == 0
    assert Assignment.objects.filter(next_remind_on__lte=date(2025, 12, 25)).count() == 0


def test_the_offices_share_of_many_overdue_tasks_is_one_line(users, units, clock, monkeypatch):
    """Past ``ROLL_UP_AFTER`` tasks of an office on a day (lowered here to 0), the office's
    people get one line with the count; the unit and the leader still hear per task."""
    from luoshi.reminders import pending
    from luoshi.reminders.models import Reminder

    monkeypatch.setattr(pending, "ROLL_UP_AFTER", 0)
    clock.move_to("2025-09-15 09:00 +0800")
    a = make_task(users, units, "节前到期逾期事项", date(2025, 9, 29), cycle="once")
    run_days(clock, date(2025, 10, 10), date(2025, 10, 10))
    day = Reminder.objects.filter(rule=Rule.OVERDUE, fired_on=date(2025, 10, 10))
    per_task = day.filter(object_type="assignment", object_id=a.pk)
    assert set(per_task.values_list("recipient__username", flat=True)) == {"liaison_a", "head_a"}
    office = day.filter(object_type="office", object_id=a.matter.office_id)
    assert set(office.values_list("recipient__username", flat=True)) == {"office", "inspector"}
    assert {r.text for r in office} == {
        "【逾期】今日有 1 项任务处于逾期提醒节点，请在任务列表“逾期”中查看。"
    }
    assert {r.link for r in office} == {"/tasks/?flag=overdue"}
