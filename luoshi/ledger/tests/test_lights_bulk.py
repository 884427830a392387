"""The nightly passes are set-based: they must store exactly what the row-by-row rules give.

Each test builds a mixed ledger (every matter and task state, deadlines around holidays and
into 2027, which the calendar does not know yet, late and early completion requests near
midnight, three offices with different yellow windows) and compares the set-based pass
with the row-by-row one (``assignment_light`` / ``refresh_matter``, ``first_report_due``).
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from luoshi.ledger import cycles, lights
from luoshi.ledger.loops import fill_report_dues
from luoshi.ledger.models import Assignment, LedgerPolicy, Matter, ReportCycle
from luoshi.ledger.states import AssignmentStatus, Light, MatterStatus

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
DAYS = [date(2026, 9, 30), date(2026, 10, 7), date(2026, 11, 24), date(2026, 12, 28)]


def reference_refresh_all(matters=None, today=None):
    """The row-by-row pass the set-based one replaced."""
    policies = {p.office_id: p for p in LedgerPolicy.objects.all()}
    qs = matters if matters is not None else Matter.objects.all()
    qs = qs.filter(status__in=lights.LIT_MATTER_STATES) | qs.exclude(light=Light.NONE)
    counts = {light.value: 0 for light in Light}
    for matter in qs.prefetch_related("assignments"):
        policy = policies.get(matter.office_id)
        if policy is None:  # refresh_matter's default, without its query
            policy = LedgerPolicy(office_id=matter.office_id)
        light = lights.refresh_matter(matter, today, policy, changed=False)
        counts[light] += 1
    return counts


@pytest.fixture
def ledger(users, units):
    rng = random.Random(8)
    offices = [units["市政府督查室"], units["市财政局"], units["市住房和城乡建设局"]]
    LedgerPolicy.objects.create(office=offices[1], yellow_workdays=5)
    LedgerPolicy.objects.create(office=offices[2], yellow_workdays=0)
    dues = [None, date(2027, 1, 4), date(2027, 2, 26)]
    dues += [d + timedelta(days=k) for d in DAYS for k in range(-3, 13)]
    for i in range(120):
        matter = Matter.objects.create(
            office=offices[i % 3], year=2026, title=f"事项{i}", content="内容", source="meeting",
            category="decision", created_by=users["office"], status=rng.choice(MatterStatus.values),
            light=rng.choice(Light.values),
        )  # fmt: skip
        for _ in range(rng.randint(0, 4)):
            due = rng.choice(dues)
            asked = None
            if rng.random() < 0.8 and due is not None:
                # Either side of midnight, Beijing time, around the deadline.
                day = due + timedelta(days=rng.choice((-1, 0, 1)))
                asked = datetime.combine(day, time(rng.choice((0, 12, 23)), 30), TZ)
            Assignment.objects.create(
                matter=matter, task="任务", due_date=due, status=rng.choice(AssignmentStatus.values),
                next_report_due=rng.choice([None, None, *DAYS, DAYS[2] - timedelta(days=1)]),
                completion_requested_at=asked, light=rng.choice(Light.values),
                report_cycle=rng.choice(ReportCycle.values),
            )  # fmt: skip


def stored() -> tuple[dict[int, str], dict[int, str]]:
    return (
        dict(Assignment.objects.values_list("pk", "light")),
        dict(Matter.objects.values_list("pk", "light")),
    )


def put_back(tasks: dict[int, str], matters: dict[int, str]) -> None:
    for pk, light in tasks.items():
        Assignment.objects.filter(pk=pk).update(light=light)
    for pk, light in matters.items():
        Matter.objects.filter(pk=pk).update(light=light)


@pytest.mark.parametrize("today", DAYS)
def test_it_lights_every_task_and_matter_as_the_row_by_row_pass(ledger, units, today) -> None:
    start = stored()
    for scope in (None, {"office": units["市财政局"]}):
        put_back(*start)
        matters = Matter.objects.filter(**scope) if scope else None
        expected_counts = reference_refresh_all(matters, today)
        expected = stored()
        put_back(*start)
        matters = Matter.objects.filter(**scope) if scope else None
        assert lights.refresh_all(matters, today) == expected_counts
        assert stored() == expected
    # The next night, with nothing changed in between.
    lights.refresh_all(None, today)
    settled = stored()
    assert lights.refresh_all(None, today) == reference_refresh_all(None, today)
    assert stored() == settled


@pytest.mark.parametrize("today", [*DAYS, date(2026, 12, 31), date(2027, 1, 5)])
@pytest.mark.parametrize("yellow", [0, 1, 3, 5, 12])
def test_it_finds_the_yellow_windows_of_the_working_day_count(calendar_seeded, today, yellow):
    windows = lights.yellow_windows(today, yellow)
    for k in range(0, 120):
        due = today + timedelta(days=k)
        near = lights._workdays_left(today, due) <= yellow
        assert near == any(first <= due <= last for first, last in windows), due


@pytest.mark.parametrize("today", DAYS)
def test_it_fills_report_due_dates_as_the_row_by_row_loop(ledger, today) -> None:
    at = datetime.combine(today, time(0, 5), TZ)
    waiting = Assignment.objects.filter(status="in_progress", next_report_due__isnull=True)
    expected = {}
    for a in waiting:
        if a.due_date is None or a.due_date > today:
            due = cycles.first_report_due(a.report_cycle, today, a.due_date)
            if due is not None:
                expected[a.pk] = due
    before = dict(Assignment.objects.values_list("pk", "next_report_due"))
    with time_machine.travel(at, tick=False):
        assert fill_report_dues() == len(expected)
    after = dict(Assignment.objects.values_list("pk", "next_report_due"))
    assert after == before | expected
