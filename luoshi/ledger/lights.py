"""红黄绿灯: each open task's light from its deadline and its report, and the matter's worst.

Red: past the deadline. Yellow: due within the office's ``yellow_workdays`` working days,
or a progress report is overdue. Green otherwise. A task whose completion is waiting for
verification keeps the light it had when completion was requested (red if late), since
the wait is the office's. Lights are stored (lists and counts filter on them) and
refreshed by every service that changes a task and by the nightly loop.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from luoshi.ledger.models import Assignment, LedgerPolicy, Matter
from luoshi.ledger.signals import matter_changed
from luoshi.ledger.states import LIGHT_RANK, Light
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M
from luoshi.workcal import calendar

RUNNING = frozenset({A.PENDING_SIGN, A.RETURNED, A.IN_PROGRESS})
LIT_MATTER_STATES = frozenset({M.ASSIGNED, M.IN_PROGRESS, M.PENDING_VERIFICATION})
DEFAULT_YELLOW_WORKDAYS = 3


def assignment_light(a: Assignment, today: date, yellow_workdays: int) -> str:
    if a.status == A.PENDING_VERIFICATION:
        asked = (
            timezone.localdate(a.completion_requested_at) if a.completion_requested_at else today
        )
        return Light.RED if a.due_date and asked > a.due_date else Light.GREEN
    if a.status not in RUNNING:
        return Light.NONE
    if a.due_date and today > a.due_date:
        return Light.RED
    if a.next_report_due and today > a.next_report_due:
        return Light.YELLOW
    if a.due_date and _workdays_left(today, a.due_date) <= yellow_workdays:
        return Light.YELLOW
    return Light.GREEN


def _workdays_left(today: date, due: date) -> int:
    try:
        return calendar.workdays_between(today, due)
    except calendar.CalendarYearMissing:
        # A deadline in a year the calendar does not know yet: count Monday to Friday.
        # This only decides between green and yellow (never a deadline), and counting
        # no holidays can only make the warning come earlier, not later.
        return sum(1 for i in range(1, (due - today).days + 1)
                   if (today + timedelta(days=i)).weekday() < 5)  # fmt: skip


def worst(lights: list[str]) -> str:
    return max(lights, key=lambda light: LIGHT_RANK[Light(light)], default=Light.NONE)


def refresh_matter(
    matter: Matter,
    today: date | None = None,
    policy: LedgerPolicy | None = None,
    changed: bool = True,
) -> str:
    """Recompute and store the lights of a matter and its tasks; returns the matter's light.
    Lights are derived data: writing them does not bump versions (no ETag conflicts).

    Services call this after every change (``changed``): ``matter_changed`` then lets the
    reminders reschedule the matter's tasks. The nightly pass only moves the day on."""
    today = today or timezone.localdate()
    if policy is None:
        policy = LedgerPolicy.objects.filter(office_id=matter.office_id).first()
    yellow = policy.yellow_workdays if policy else DEFAULT_YELLOW_WORKDAYS
    status = Matter.objects.filter(pk=matter.pk).values_list("status", flat=True).first()
    lights = []
    for a in matter.assignments.all():
        light = assignment_light(a, today, yellow)
        if light != a.light:
            Assignment.objects.filter(pk=a.pk).update(light=light)
        if a.status != A.CANCELLED:
            lights.append(light)
    light = worst(lights) if status in LIT_MATTER_STATES else Light.NONE
    if light != matter.light:
        Matter.objects.filter(pk=matter.pk).update(light=light)
        matter.light = light
    if changed:
        matter_changed.send(sender=Matter, matter=matter, today=today)
    return light


def refresh_all(
    matters: QuerySet[Matter] | None = None, today: date | None = None
) -> dict[str, int]:
    """The nightly pass over every matter that can carry a light (and those that just lost
    one); returns how many matters show each light afterwards."""
    today = today or timezone.localdate()
    policies = {p.office_id: p for p in LedgerPolicy.objects.all()}
    qs = matters if matters is not None else Matter.objects.all()
    qs = qs.filter(status__in=LIT_MATTER_STATES) | qs.exclude(light=Light.NONE)
    counts = {light.value: 0 for light in Light}
    for matter in qs.prefetch_related("assignments").iterator(chunk_size=500):
        light = refresh_matter(matter, today, policies.get(matter.office_id), changed=False)
        counts[light] += 1
    return counts
