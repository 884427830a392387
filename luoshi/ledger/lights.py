"""红黄绿灯: each open task's light from its deadline and its report, and the matter's worst.

Red: past the deadline. Yellow: due within the office's ``yellow_workdays`` working days,
or a progress report is overdue. Green otherwise. A task whose completion is waiting for
verification keeps the light it had when completion was requested (red if late), since
the wait is the office's. Lights are stored (lists and counts filter on them) and
refreshed by every service that changes a task (``refresh_matter``, row by row) and by the
nightly loop (``refresh_all``: the same rules as a few UPDATEs over every lit matter).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import count

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan
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


def yellow_windows(today: date, yellow_workdays: int) -> list[tuple[date, date]]:
    """The deadlines from ``today`` on that ``_workdays_left`` puts within ``yellow_workdays``,
    as date ranges, for the set-based pass. The count is the calendar's while every year up
    to the deadline is known and the Monday-to-Friday count from the first missing year on;
    each never decreases as the deadline moves later, so each part is one range from its
    start, found by walking day by day (a few weeks at most)."""
    known = calendar.known_years()
    missing = next(year for year in count(today.year) if year not in known)
    unknown_from = date(missing, 1, 1)
    windows = []
    for start, stop in ((today, unknown_from), (max(today, unknown_from), date.max)):
        d, last = start, None
        while d < stop and _workdays_left(today, d) <= yellow_workdays:
            last, d = d, d + timedelta(days=1)
        if last is not None:
            windows.append((start, last))
    return windows


def light_case(today: date, yellow_workdays: int) -> Case:
    """``assignment_light`` as one SQL expression over a task's own columns."""
    running = Q(status__in=RUNNING)
    verifying = Q(status=A.PENDING_VERIFICATION, due_date__isnull=False)
    asked_late = Q(completion_requested_at__isnull=True, due_date__lt=today) | Q(
        GreaterThan(TruncDate("completion_requested_at"), F("due_date"))
    )
    warned = Q(next_report_due__lt=today)  # a report overdue, or the deadline near
    for first, last in yellow_windows(today, yellow_workdays):
        warned |= Q(due_date__range=(first, last))
    return Case(
        When((running & Q(due_date__lt=today)) | (verifying & asked_late), then=Value(Light.RED)),
        When(running & warned, then=Value(Light.YELLOW)),
        When(running | Q(status=A.PENDING_VERIFICATION), then=Value(Light.GREEN)),
        default=Value(Light.NONE),
    )


@contextmanager
def without_jit() -> Iterator[None]:
    """PostgreSQL, inside a transaction: no JIT compilation for the pass's statements. Their
    estimates (a scan of every task, a subquery per matter) are high enough to trigger it,
    and compiling took seconds (4.3 s for one UPDATE) where running takes a fraction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as c:
        c.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        was = c.fetchone()[0]
    yield
    # Not after an error: the rollback restores the setting (and the aborted transaction
    # would refuse the statement).
    with connection.cursor() as c:
        c.execute("SELECT set_config('jit', %s, true)", [was])


def refresh_task_lights(scope: QuerySet[Matter], today: date) -> int:
    """Store the light of every task of the matters in ``scope``; returns the tasks changed.
    One UPDATE per yellow window (offices sharing a ``yellow_workdays`` share one), touching
    only the rows whose light changes."""
    offices_by_yellow: dict[int, list[int]] = defaultdict(list)
    for office_id, yellow in LedgerPolicy.objects.values_list("office_id", "yellow_workdays"):
        offices_by_yellow[yellow].append(office_id)
    with_policy = [pk for offices in offices_by_yellow.values() for pk in offices]
    changed = 0
    for yellow in sorted({*offices_by_yellow, DEFAULT_YELLOW_WORKDAYS}):
        offices = Q(office_id__in=offices_by_yellow.get(yellow, []))
        if yellow == DEFAULT_YELLOW_WORKDAYS:
            offices |= ~Q(office_id__in=with_policy)
        light = light_case(today, yellow)
        # EXISTS rather than IN: SQLite then reads the tasks in one pass, looking each
        # matter up by its key, instead of looking the tasks up matter by matter (2×).
        tasks = Assignment.objects.filter(Exists(scope.filter(offices, pk=OuterRef("matter_id"))))
        changed += tasks.alias(new=light).exclude(light=F("new")).update(light=light)
    return changed


def _matter_case() -> Case:
    """A matter's light: none unless it is lit, else the worst stored light of its tasks
    (cancelled tasks have none)."""

    def has(light: str) -> Exists:
        return Exists(Assignment.objects.filter(matter_id=OuterRef("pk"), light=light))

    return Case(
        When(~Q(status__in=LIT_MATTER_STATES), then=Value(Light.NONE)),
        When(has(Light.RED), then=Value(Light.RED)),
        When(has(Light.YELLOW), then=Value(Light.YELLOW)),
        When(has(Light.GREEN), then=Value(Light.GREEN)),
        default=Value(Light.NONE),
    )


def refresh_matter_lights(scope: QuerySet[Matter]) -> int:
    """Store the light of every matter in ``scope`` from its tasks' stored lights; returns
    the matters changed. One UPDATE, touching only the rows whose light changes (PostgreSQL
    looks the tasks of each light up once, in a hash, rather than per matter)."""
    light = _matter_case()
    return scope.alias(new=light).exclude(light=F("new")).update(light=light)


def refresh_all(
    matters: QuerySet[Matter] | None = None, today: date | None = None
) -> dict[str, int]:
    """The nightly pass over every matter that can carry a light (and those that just lost
    one); returns how many matters show each light afterwards.

    Set-based, with the same result as ``refresh_matter`` on each of them: the tasks' lights
    first, then the matters' (their worst task)."""
    today = today or timezone.localdate()
    qs = matters if matters is not None else Matter.objects.all()
    scope = qs.filter(status__in=LIT_MATTER_STATES) | qs.exclude(light=Light.NONE)
    counts = {value.value: 0 for value in Light}
    with transaction.atomic(), without_jit():
        refresh_task_lights(scope, today)
        # Matters that are no longer lit leave the scope once their light is cleared.
        counts[Light.NONE.value] += scope.exclude(status__in=LIT_MATTER_STATES).count()
        refresh_matter_lights(scope)
        lit = qs.filter(status__in=LIT_MATTER_STATES).order_by()
        for value, n in lit.values_list("light").annotate(n=Count("pk")):
            counts[value] += n
    return counts
