"""Store each task's next reminder day after a change.

A change can bring a reminder forward (a new task, a nearer deadline, a report due date),
so the day is recomputed from the task as it is now. A reminder due today that the
morning sweep has not sent yet stays due today: the next sweep (or a catch-up after a
missed day) sends the latest stage.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from luoshi.ledger.models import Assignment
from luoshi.reminders.schedule import plan
from luoshi.reminders.sweep import policy_for


def reschedule_matter(matter: Any, today: date) -> None:
    policy = policy_for(matter.office_id)
    tasks = (
        Assignment.objects.filter(matter_id=matter.pk)
        .select_related("matter", "lead_unit")
        .prefetch_related("milestones")
    )
    for a in tasks:
        p = plan(a, policy, today)
        # Anything due today is left for the sweep (which records it once), so the task
        # stays on today's list.
        next_on = today if p.due else p.next_on
        if next_on != a.next_remind_on:
            Assignment.objects.filter(pk=a.pk).update(next_remind_on=next_on)
