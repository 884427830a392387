"""Demo matters further along their life, so every follow-through page has something on it:
a report waiting for the office, an overdue task (urged by the office), an extension to
decide, a completion to verify and a matter waiting for the leader's 销号."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from luoshi.followup.services import closing, extensions, reports
from luoshi.ledger import services
from luoshi.ledger.models import Matter
from luoshi.urging.services import urging_issue
from luoshi.workcal import calendar


def _assigned(users: Any, units: Any, title: str, content: str, unit: str, task: str,
              due: date, person: tuple[str, str], cycle: str = "monthly") -> Matter:  # fmt: skip
    office, leader = users["office"], users["vleader"]
    matter = services.matter_create(
        office, office=units["市政府督查室"], title=title, content=content, source="meeting",
        category="decision", priority="key", supervising_leader=leader,
        meeting_name="市政府第十一次常务会议", meeting_date=timezone.localdate(),
        stated_deadline=due,
    )  # fmt: skip
    services.assignment_add(
        office, matter, task=task, lead_unit=units[unit], responsible_leader=person[0],
        responsible_person=person[1], due_date=due, progress_requirement="按周期报送进展",
        report_cycle=cycle,
    )  # fmt: skip
    services.matter_submit(office, matter)
    services.matter_approve(leader, matter, "同意")
    services.matter_assign(office, matter)
    liaison = users["liaison_a"] if unit == "市住房和城乡建设局" else users["liaison_b"]
    services.assignment_sign(liaison, matter.assignments.get())
    return matter


def seed_demo_followup(users: dict[str, Any], units: dict[str, Any]) -> int:
    today = timezone.localdate()
    try:
        in_weeks = calendar.add_workdays(today, 20)
    except calendar.CalendarYearMissing:
        # Late December before next year's schedule is entered: the first four suffice.
        return 0
    housing, ecology = ("孙立军", "赵敏"), ("吴国平", "周婷")

    m = _assigned(users, units, "城市燃气管道老化更新改造",
                  "年内完成主城区老化燃气管道更新改造，确保安全运行。", "市住房和城乡建设局",
                  "完成主城区 42 公里老化燃气管道更新", in_weeks, housing, "weekly")  # fmt: skip
    reports.report_submit(
        users["head_a"], m.assignments.get(), progress=35,
        text="已完成 15 公里管道更新，剩余路段正在组织施工，预计按期完成。",
    )  # fmt: skip

    # An overdue task carried over from the paper ledger: red on the workbench.
    m = _assigned(users, units, "中央环保督察反馈问题整改", "按督察反馈意见完成整改并销号。",
                  "市生态环境局", "完成化工园区废气治理整改", today - timedelta(days=3),
                  ecology)  # fmt: skip
    # …and the office has urged the unit about it: a 催办单 waiting for its reply (the
    # unit's bell shows it).
    urging_issue(
        users["office"], m.assignments.get(), unit=units["市生态环境局"],
        text="该任务已超过完成时限，请于回复时限前报送整改进展、逾期原因及下一步措施。",
    )  # fmt: skip

    # Due in 8 working days, asking for 10 more: both inside the year the calendar knows.
    soon, later = calendar.add_workdays(today, 8), calendar.add_workdays(today, 18)
    m = _assigned(users, units, "农贸市场提升改造", "完成 8 个农贸市场提升改造。",
                  "市住房和城乡建设局", "完成 8 个农贸市场提升改造", soon, housing)  # fmt: skip
    extensions.extension_request(
        users["liaison_a"], m.assignments.get(), later,
        "两个市场涉及征迁，征迁补偿方案须经区政府常务会议研究，申请延期两周完成改造。",
    )  # fmt: skip

    m = _assigned(users, units, "城区主干道路灯节能改造", "完成主干道路灯 LED 节能改造。",
                  "市住房和城乡建设局", "完成路灯节能改造 1200 盏", in_weeks, housing)  # fmt: skip
    result = "1200 盏路灯已全部完成 LED 改造并通过验收，年节电约 80 万千瓦时。"
    closing.request_completion(users["liaison_a"], m.assignments.get(), result)

    m = _assigned(users, units, "饮用水水源地保护专项整治", "完成水源地保护区违法建筑清理。",
                  "市生态环境局", "清理水源保护区内违法建筑", in_weeks, ecology)  # fmt: skip
    result = "保护区内 23 处违法建筑已全部拆除，完成复绿 1.2 万平方米。"
    closing.request_completion(users["liaison_b"], m.assignments.get(), result)
    closing.verify(
        users["office"], m.assignments.get(), accept=True, comment="经实地核查属实",
        onsite_on=today, onsite_by="李明", onsite_findings="现场查看 23 处点位，均已拆除复绿。",
    )  # fmt: skip
    closing.report_to_leader(users["office"], m, "已核查办结，请审定销号。")
    return 5
