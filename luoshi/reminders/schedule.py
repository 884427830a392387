"""When each reminder about a task fires, and when the task next needs looking at.

``plan(a, policy, today)`` returns the reminders due today (at most the latest stage of each
rule: after a missed day the sweep catches up with the most recent stage, not with every
stage it slept through) and the next day anything fires. The sweep stores that day in the
indexed ``Assignment.next_remind_on`` and only looks at tasks whose day has come.

Every date is a working day of the official calendar: ``add_workdays(due, -3)`` is the third
working day before the deadline, so a reminder skips a holiday and fires on a 调休 Saturday
when that Saturday is a working day. When a year is missing from the calendar we do not
guess: the rule waits and the task is looked at again the next day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from luoshi.ledger.models import Assignment
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.reminders.models import ReminderPolicy
from luoshi.reminders.rules import Rule, parse_stages
from luoshi.workcal import calendar

# Tasks a unit still has to act on; a returned (misrouted) task waits for the office.
ACTIVE = frozenset({A.PENDING_SIGN, A.IN_PROGRESS})


@dataclass
class Due:
    rule: str
    object_type: str
    object_id: int
    due_date: date
    stage: int
    text: str
    link: str
    assignment: Any = None
    groups_override: list[str] | None = None  # e.g. an extension pending with the leader


@dataclass
class Plan:
    """What fires today, and the earliest later day anything fires. The three timings
    below (once, stages before a date, every N days after one) are all the rules use."""

    due: list[Due] = field(default_factory=list)
    next_on: date | None = None

    def later(self, day: date) -> None:
        if self.next_on is None or day < self.next_on:
            self.next_on = day

    def wait_a_day(self, today: date) -> None:
        self.later(today + timedelta(days=1))

    def once(self, fire: date, today: date, make: Any) -> None:
        if fire <= today:
            self.due.append(make())
        else:
            self.later(fire)

    def before(self, stages: list[int], target: date, today: date, make: Any) -> None:
        """Stages counted back from ``target``; once ``target`` has passed they are moot."""
        if target < today:
            return
        fires = [(n, calendar.add_workdays(target, -n)) for n in stages]
        passed = [n for n, fire in fires if fire <= today]
        if passed:
            self.due.append(make(min(passed)))  # the stage closest to the target
        upcoming = [fire for _n, fire in fires if fire > today]
        if upcoming:
            self.later(min(upcoming))

    def every(self, start: date, every: int, today: date, make: Any) -> None:
        """Every ``every`` working days after ``start`` (the latest multiple up to today)."""
        every = max(1, every)
        waited = calendar.workdays_between(start, today) if today > start else 0
        k = waited // every
        if k >= 1:
            self.due.append(make(k * every))
        self.later(calendar.add_workdays(start, (k + 1) * every))


def label(a: Assignment) -> str:
    m = a.matter
    return f"{m.number or '（未编号）'} {m.title}"


def day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def task_link(a: Assignment) -> str:
    return reverse("ledger:assignment", args=[a.pk])


def plan(a: Assignment, policy: ReminderPolicy, today: date) -> Plan:
    """The task's reminders due today and its next reminder day (None: nothing ahead)."""
    p = Plan()
    if a.status not in ACTIVE:
        return p
    link = task_link(a)
    unit = a.lead_unit.name if a.lead_unit else ""
    for step in (_sign, _deadline, _overdue, _report, _milestones):
        try:
            step(p, a, policy, today, link, unit)
        except calendar.CalendarYearMissing:
            p.wait_a_day(today)
    return p


def _sign(
    p: Plan, a: Assignment, policy: ReminderPolicy, today: date, link: str, unit: str
) -> None:
    if a.status != A.PENDING_SIGN or a.assigned_at is None:
        return
    assigned = timezone.localdate(a.assigned_at)
    fire = calendar.add_workdays(assigned, policy.sign_after)
    p.once(fire, today, lambda: Due(
        Rule.SIGN, "assignment", a.pk, assigned, policy.sign_after,
        f"【待签收】{label(a)}：{day(assigned)}交办{unit}，已 {policy.sign_after} 个工作日未签收。",
        link, a,
    ))  # fmt: skip


def _deadline(p: Plan, a: Assignment, policy: ReminderPolicy, today: date, link: str,
              unit: str) -> None:  # fmt: skip
    if a.due_date is None:
        return
    due = a.due_date

    def make(n: int) -> Due:
        when = "今天是完成时限" if n == 0 else f"距完成时限（{day(due)}）还有 {n} 个工作日"
        return Due(Rule.DEADLINE, "assignment", a.pk, due, n, f"【临近时限】{label(a)}：{when}。",
                   link, a)  # fmt: skip

    p.before(parse_stages(policy.deadline_stages), due, today, make)


def _overdue(p: Plan, a: Assignment, policy: ReminderPolicy, today: date, link: str,
             unit: str) -> None:  # fmt: skip
    if a.due_date is None:
        return
    due = a.due_date

    def make(n: int) -> Due:
        text = f"【逾期】{label(a)}：已超过完成时限（{day(due)}）{n} 个工作日。"
        return Due(Rule.OVERDUE, "assignment", a.pk, due, -n, text, link, a)

    p.every(due, policy.overdue_every, today, make)
    fire = calendar.add_workdays(due, max(1, policy.escalate_after))
    p.once(fire, today, lambda: Due(
        Rule.ESCALATE, "assignment", a.pk, due, -policy.escalate_after,
        f"【逾期报告】{unit}承办的{label(a)}已逾期 {policy.escalate_after} 个工作日"
        f"（完成时限 {day(due)}），请督促。",
        link, a,
    ))  # fmt: skip


def _report(p: Plan, a: Assignment, policy: ReminderPolicy, today: date, link: str,
            unit: str) -> None:  # fmt: skip
    if a.status != A.IN_PROGRESS or a.next_report_due is None:
        return
    due = a.next_report_due

    def make(n: int) -> Due:
        when = "今天是反馈时限" if n == 0 else f"反馈时限 {day(due)}，还有 {n} 个工作日"
        return Due(Rule.REPORT, "assignment", a.pk, due, n,
                   f"【反馈到期】{label(a)}：{when}，请按时报送办理情况。", link, a)  # fmt: skip

    p.before(sorted({policy.report_before, 0}, reverse=True), due, today, make)


def _milestones(p: Plan, a: Assignment, policy: ReminderPolicy, today: date, link: str,
                unit: str) -> None:  # fmt: skip
    if a.status != A.IN_PROGRESS:
        return
    stages = sorted({policy.milestone_before, 0}, reverse=True)
    for m in a.milestones.all():
        if m.reached_at is not None:
            continue

        def make(n: int, m: Any = m) -> Due:
            when = "今天到期" if n == 0 else f"{day(m.due_date)}到期，还有 {n} 个工作日"
            text = f"【节点到期】{label(a)}：节点“{m.deliverable}”{when}。"
            return Due(Rule.MILESTONE, "milestone", m.pk, m.due_date, n, text, link, a)

        try:
            p.before(stages, m.due_date, today, make)
        except calendar.CalendarYearMissing:
            p.wait_a_day(today)
