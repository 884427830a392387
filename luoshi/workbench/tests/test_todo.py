"""What waits for each role (工作台 and 我的待办), on frozen clocks."""

from datetime import date

import pytest

from luoshi.followup.services import closing, reports
from luoshi.ledger import lights, services
from luoshi.ledger.models import Matter
from luoshi.workbench.tests.scenario import make_task
from luoshi.workbench.todo import soon_cutoff, work_lists

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, int]:
    return {key: wl.count for key, wl in work_lists(user).items()}


def titles(user, key: str) -> list[str]:
    return [item.title for item in work_lists(user)[key].items]


def test_it_counts_what_waits_for_the_office(users, scene) -> None:
    assert counts(users["office"]) == {
        "to_review": 1, "to_verify": 1, "ext_office": 1, "to_report": 1, "to_archive": 1,
        "cancel_requests": 1, "red": 1, "yellow": 3, "year_review": 0, "returned": 0,
        "to_assign": 0, "drafts": 0,
    }  # fmt: skip
    assert titles(users["office"], "red") == ["红灯事项 · 市住房和城乡建设局"]
    assert titles(users["inspector"], "to_review") == ["待审核反馈事项"]


def test_it_counts_what_waits_for_the_leaders(users, scene) -> None:
    expected = {"to_approve": 1, "ext_leader": 1, "to_close": 1, "cancel_to_decide": 1}
    assert counts(users["vleader"]) == expected
    assert counts(users["leader"]) == expected  # the mayor decides over the whole office
    assert titles(users["vleader"], "to_close") == ["待销号事项"]


def test_it_counts_what_waits_for_the_lead_unit(users, scene) -> None:
    liaison = counts(users["liaison_a"])
    assert liaison == {
        "to_sign": 2, "co_to_sign": 0, "reports_due": 1, "overdue": 1, "reports_returned": 1,
        "co_parts": 0,
    }  # fmt: skip
    assert counts(users["head_a"]) == {**liaison, "head_review": 1}
    due = work_lists(users["liaison_a"])["reports_due"].items
    assert [(i.title, i.note) for i in due] == [("迟报事项", "反馈时限 2026-11-06（已逾期）")]
    item = work_lists(users["head_a"])["head_review"].items[0]
    assert item.url == f"/tasks/{scene['head'].pk}/"
    assert "第1版" in item.note and "09:30" in item.note  # local time


def test_another_unit_sees_none_of_it(users, scene) -> None:
    assert set(counts(users["liaison_b"]).values()) == {0}
    assert work_lists(users["observer"]) == {}
    assert work_lists(users["sysadmin"]) == {}


def test_it_lists_a_report_from_three_working_days_before_it_is_due(users, units, clock) -> None:
    a = make_task(users, units, "按月反馈事项", date(2026, 12, 31))  # signed Mon Nov 23
    assert a.next_report_due == date(2026, 11, 30)
    assert counts(users["liaison_a"])["reports_due"] == 0
    clock.move_to("2026-11-25 09:00 +0800")  # Wed: Thu, Fri, Mon → due within 3 working days
    assert soon_cutoff(date(2026, 11, 25)) == date(2026, 11, 30)
    assert work_lists(users["liaison_a"])["reports_due"].items[0].note == "反馈时限 2026-11-30"
    clock.move_to("2026-12-01 09:00 +0800")
    assert work_lists(users["liaison_a"])["reports_due"].items[0].note.endswith("（已逾期）")
    reports.report_submit(users["liaison_a"], a, text="十一月办理情况迟报说明。", progress=20)
    assert counts(users["liaison_a"])["reports_due"] == 0  # the next one is due Dec 31


def test_it_counts_the_days_of_the_national_day_holiday_as_days_off(users, units, clock) -> None:
    clock.move_to("2026-09-28 09:00 +0800")
    a = make_task(users, units, "节前事项", date(2026, 10, 30), cycle="weekly")
    # Signed Mon Sep 28: the first week leaves two working days, so the first report is due
    # at the end of the next week: the 调休 working Saturday Oct 10.
    assert a.next_report_due == date(2026, 10, 10)
    clock.move_to("2026-09-29 09:00 +0800")
    assert soon_cutoff(date(2026, 9, 29)) == date(2026, 10, 9)  # Sep 30, Oct 8, Oct 9
    assert counts(users["liaison_a"])["reports_due"] == 0
    clock.move_to("2026-09-30 09:00 +0800")
    assert soon_cutoff(date(2026, 9, 30)) == date(2026, 10, 10)
    assert counts(users["liaison_a"])["reports_due"] == 1


def test_it_lists_co_unit_parts_for_the_lead_unit_to_consolidate(users, units, clock) -> None:
    a = make_task(users, units, "配合事项", date(2026, 12, 31))
    co = services.assignment_extend(users["office"], a, units["市生态环境局"], "涉及污水管网改造")
    assert titles(users["liaison_b"], "co_to_sign") == ["配合事项"]
    services.co_unit_sign(users["liaison_b"], co)
    assert counts(users["liaison_b"])["co_to_sign"] == 0
    reports.report_submit(users["liaison_b"], a, text="管网改造已完成设计工作。", progress=30)
    assert titles(users["liaison_a"], "co_parts") == ["配合事项"]
    assert counts(users["liaison_b"])["co_parts"] == 0
    part = a.reports.get()
    reports.report_return(users["liaison_a"], part, "请补充管网图纸。")
    assert titles(users["liaison_b"], "reports_returned") == ["配合事项"]
    assert counts(users["liaison_a"])["co_parts"] == 0


def test_it_lists_long_term_matters_for_their_year_end_review(users, units, clock) -> None:
    a = make_task(users, units, "长期跟踪事项", date(2026, 12, 31))
    Matter.objects.filter(pk=a.matter_id).update(long_term=True)
    assert counts(users["office"])["year_review"] == 0  # November
    clock.move_to("2026-12-14 09:00 +0800")
    assert titles(users["office"], "year_review") == ["长期跟踪事项"]
    matter = Matter.objects.get(pk=a.matter_id)
    assert closing.year_review_due(matter, date(2026, 12, 14))
    closing.year_review(users["office"], matter, "全年推进情况良好，明年继续跟踪。")
    assert counts(users["office"])["year_review"] == 0


def test_the_short_lists_keep_the_full_count(users, units, clock) -> None:
    for i in range(7):
        make_task(users, units, f"待签收{i}", date(2026, 12, 31), sign=False)
    short = work_lists(users["liaison_a"], limit=5)["to_sign"]
    assert (short.count, len(short.items), short.more) == (7, 5, 2)
    assert short.url == "/tasks/?status=pending_sign"


def test_red_tasks_leave_the_list_once_completed(users, units, clock) -> None:
    clock.move_to("2026-11-02 09:00 +0800")
    a = make_task(users, units, "逾期事项", date(2026, 11, 13), cycle="once")
    clock.move_to("2026-11-23 09:30 +0800")
    lights.refresh_all()
    assert counts(users["liaison_a"])["overdue"] == 1
    closing.request_completion(users["liaison_a"], a, "已全部完成改造并通过验收。")
    # Asked after the deadline: it stays red while the office verifies, but is not the
    # unit's to act on any more.
    assert counts(users["office"])["red"] == 1
    assert counts(users["liaison_a"])["overdue"] == 0
    closing.verify(users["office"], a, accept=True)
    assert counts(users["office"])["red"] == 0
    assert counts(users["liaison_a"])["overdue"] == 0
