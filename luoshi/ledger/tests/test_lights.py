from datetime import date

import pytest
import time_machine

from luoshi.ledger import lights, services
from luoshi.ledger.loops import lights_daily
from luoshi.ledger.models import Assignment, Matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_after_national_day(users, units):
    """A task due Monday 12 October 2026, signed before the holiday."""
    with time_machine.travel("2026-09-28 10:00 +0800", tick=False):
        matter = services.matter_create(
            users["office"], office=units["市政府督查室"], title="节后到期事项", content="内容",
            source="meeting", category="decision", meeting_name="常务会议",
            meeting_date=date(2026, 9, 28), stated_deadline=date(2026, 10, 12),
            supervising_leader=users["vleader"],
        )  # fmt: skip
        services.assignment_add(
            users["office"], matter, task="任务", lead_unit=units["市住房和城乡建设局"],
            responsible_leader="孙立军", responsible_person="赵敏", due_date=date(2026, 10, 12),
            progress_requirement="节后完成", report_cycle="once",
        )  # fmt: skip
        services.matter_submit(users["office"], matter)
        services.matter_approve(users["vleader"], matter)
        services.matter_assign(users["office"], matter)
        services.assignment_sign(users["liaison_a"], matter.assignments.get())
    return matter


@pytest.mark.parametrize(
    ("day", "light"),
    [
        ("2026-09-30", "green"),
        # Still green on the last day of the holiday: 8, 9, the 调休 Saturday 10 and 12
        # October are four working days.
        ("2026-10-07", "green"),
        ("2026-10-08", "yellow"),
        ("2026-10-10", "yellow"),
        ("2026-10-12", "yellow"),
        ("2026-10-13", "red"),
    ],
)
def test_the_nightly_loop_turns_lights_over_a_holiday(due_after_national_day, day, light) -> None:
    with time_machine.travel(f"{day} 00:05 +0800", tick=False):
        summary = lights_daily()
    assert Assignment.objects.get().light == light
    assert Matter.objects.get().light == light
    assert "红灯" in summary


def test_a_matter_shows_its_worst_task(users, units, due_after_national_day) -> None:
    a = Assignment.objects.get()
    assert lights.worst(["green", "red", "yellow"]) == "red"
    assert lights.worst([]) == ""
    assert lights.assignment_light(a, date(2026, 10, 13), 3) == "red"
    # A completed or cancelled task has no light; neither has a draft matter.
    a.status = "completed"
    assert lights.assignment_light(a, date(2026, 10, 13), 3) == ""


def test_a_late_report_turns_a_task_yellow(users, units, due_after_national_day) -> None:
    Assignment.objects.update(next_report_due=date(2026, 9, 30), due_date=date(2026, 12, 31))
    with time_machine.travel("2026-10-09 00:05 +0800", tick=False):
        lights.refresh_all()
    assert Assignment.objects.get().light == "yellow"


def test_the_office_sets_how_soon_yellow_comes(users, units, due_after_national_day) -> None:
    from luoshi.ledger.rules import policy_for

    policy = policy_for(units["市政府督查室"])
    policy.yellow_workdays = 5
    policy.save()
    with time_machine.travel("2026-10-07 00:05 +0800", tick=False):
        lights.refresh_all()
    assert Assignment.objects.get().light == "yellow"


def test_a_cancelled_matter_loses_its_light(users, due_after_national_day) -> None:
    with time_machine.travel("2026-10-13 09:00 +0800", tick=False):
        lights.refresh_all()
        assert Matter.objects.get().light == "red"
        services.matter_cancel(users["vleader"], due_after_national_day, "会议决定不再执行该事项")
    assert Matter.objects.get().light == ""
    assert Assignment.objects.get().light == ""


def test_the_loop_sets_report_dues_once_next_year_is_published(users, units) -> None:
    from luoshi.ledger.loops import fill_report_dues
    from luoshi.ledger.tests.factories import make_matter
    from luoshi.workcal import calendar
    from luoshi.workcal.services import (
        calendar_days_set,
        calendar_year_create,
        calendar_year_set_status,
    )

    with time_machine.travel("2026-12-29 10:00 +0800", tick=False):
        matter = make_matter(users, units, assigned=True)
        Assignment.objects.update(due_date=date(2027, 3, 31))
        services.assignment_sign(users["liaison_a"], matter.assignments.get())
        assert Assignment.objects.get().next_report_due is None  # 2027 unknown: no guess
        assert fill_report_dues() == 0
        calendar_year_create(users["office"], 2027)
        calendar_days_set(users["office"], date(2027, 1, 1), date(2027, 1, 1), "holiday", "元旦")
        calendar_year_set_status(users["office"], 2027, "published")
        calendar.invalidate()
        assert fill_report_dues() == 1
    assert Assignment.objects.get().next_report_due == date(2027, 1, 29)
