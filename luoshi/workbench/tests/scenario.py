"""Matters in every state a 工作台 list shows, built through the real services.

``build(users, units, clock)`` starts on Monday 2026-11-02 and ends on Monday 2026-11-23
09:30 with every light refreshed, as the nightly loop would have left it."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from luoshi.followup.services import closing, extensions, reports
from luoshi.ledger import lights, services
from luoshi.ledger.models import Assignment, Matter


def make_task(users: Any, units: Any, title: str, due: date, *, cycle: str = "monthly",
              lead: str = "市住房和城乡建设局", sign: bool = True, long_term: bool = False,
              milestones: list[tuple[date, str]] | None = None) -> Assignment:  # fmt: skip
    """A matter with one task of ``lead`` due ``due``, assigned (and signed) today."""
    office = users["office"]
    matter = services.matter_create(
        office, office=units["市政府督查室"], title=title, content=f"{title}的内容",
        source="meeting", category="decision", priority="normal",
        meeting_name="市政府常务会议", meeting_date=date(2026, 10, 30),
        stated_deadline=due, supervising_leader=users["vleader"], long_term=long_term,
    )  # fmt: skip
    services.assignment_add(
        office, matter, task=f"{title}的任务", lead_unit=units[lead],
        responsible_leader="某局长", responsible_person="某科长", due_date=due,
        progress_requirement="按期报送进展", report_cycle=cycle, milestones=milestones or [],
    )  # fmt: skip
    services.matter_submit(office, matter)
    services.matter_approve(users["vleader"], matter)
    services.matter_assign(office, matter)
    a = matter.assignments.get()
    if sign:
        liaison = "liaison_a" if lead == "市住房和城乡建设局" else "liaison_b"
        services.assignment_sign(users[liaison], a)
    a.refresh_from_db()
    return a


TEXT = "本期已完成主要工作，进展顺利。"
REASON = "受汛期施工条件限制，主体工程需顺延，申请延期以保证质量。"


def build(users: Any, units: Any, clock: Any) -> dict[str, Any]:
    office, vleader = users["office"], users["vleader"]
    clock.move_to("2026-11-02 09:00 +0800")
    made: dict[str, Any] = {}
    made["red"] = make_task(users, units, "红灯事项", date(2026, 11, 13), cycle="once")
    # Weekly from Mon Nov 2: the first report was due Fri Nov 6 and never came (yellow).
    made["late"] = make_task(users, units, "迟报事项", date(2026, 12, 31), cycle="weekly")
    made["yellow"] = make_task(users, units, "临期事项", date(2026, 11, 25), cycle="once")

    clock.move_to("2026-11-23 09:30 +0800")
    made["to_sign"] = make_task(users, units, "待签收事项", date(2026, 12, 31), sign=False)
    a = made["head"] = make_task(users, units, "待负责人审核事项", date(2026, 12, 31))
    made["head_report"] = reports.report_submit(users["liaison_a"], a, text=TEXT, progress=30)
    a = made["returned"] = make_task(users, units, "反馈被退回事项", date(2026, 12, 31))
    r = reports.report_submit(users["head_a"], a, text=TEXT, progress=30)
    made["returned_report"] = reports.report_return(office, r, "请补充资金到位情况。")
    a = made["review"] = make_task(users, units, "待审核反馈事项", date(2026, 12, 31))
    made["review_report"] = reports.report_submit(users["head_a"], a, text=TEXT, progress=50)
    a = made["ext"] = make_task(users, units, "延期待审事项", date(2026, 12, 15))
    made["ext_request"] = extensions.extension_request(
        users["liaison_a"], a, date(2026, 12, 31), REASON
    )
    a = made["ext_leader"] = make_task(users, units, "延期待批事项", date(2026, 12, 15))
    x = extensions.extension_request(users["liaison_a"], a, date(2026, 12, 31), REASON)
    made["ext_leader_request"] = extensions.extension_approve(office, x, "同意，报领导审批。")
    a = made["verify"] = make_task(users, units, "待核查事项", date(2026, 12, 31))
    closing.request_completion(users["liaison_a"], a, "已全部完成改造并通过验收。")
    a = made["verified"] = make_task(users, units, "待呈报事项", date(2026, 12, 31))
    closing.request_completion(users["liaison_a"], a, "已全部完成改造并通过验收。")
    closing.verify(office, a, accept=True, comment="核查属实。")
    a = made["reported"] = make_task(users, units, "待销号事项", date(2026, 12, 31))
    closing.request_completion(users["liaison_a"], a, "已全部完成改造并通过验收。")
    closing.verify(office, a, accept=True)
    closing.report_to_leader(office, _matter(a))
    a = made["closed"] = make_task(users, units, "待归档事项", date(2026, 12, 31))
    closing.request_completion(users["liaison_a"], a, "已全部完成改造并通过验收。")
    closing.verify(office, a, accept=True)
    closing.report_to_leader(office, _matter(a))
    closing.close(vleader, _matter(a))
    a = made["cancel"] = make_task(users, units, "申请撤销事项", date(2026, 12, 31), sign=False)
    services.matter_cancel(office, _matter(a), "上级已另行部署，无需继续督办。")
    # Another unit's task: units must not see it, oversight counts it.
    made["other"] = make_task(users, units, "环境局事项", date(2026, 11, 25), lead="市生态环境局")
    draft = services.matter_create(
        office, office=units["市政府督查室"], title="待审批事项", content="待审批事项的内容",
        source="meeting", category="decision", meeting_name="市政府常务会议",
        meeting_date=date(2026, 11, 20), stated_deadline=date(2026, 12, 31),
        supervising_leader=vleader,
    )  # fmt: skip
    services.assignment_add(
        office, draft, task="待审批任务", lead_unit=units["市住房和城乡建设局"],
        responsible_leader="某局长", responsible_person="某科长", due_date=date(2026, 12, 31),
        progress_requirement="每月报送",
    )  # fmt: skip
    made["to_approve"] = services.matter_submit(office, draft)
    lights.refresh_all()
    return made


def _matter(a: Assignment) -> Matter:
    return Matter.objects.get(pk=a.matter_id)


def build_on_its_own_clock(users: Any, units: Any) -> dict[str, Any]:
    """``build`` for ``built_once`` (no test clock yet): it ends where the tests' clocks
    start, 2026-11-23 09:30."""
    with time_machine.travel("2026-11-23 09:30 +0800", tick=False) as clock:
        return build(users, units, clock)
