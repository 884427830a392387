"""A few demo matters in different states, so the ledger is not empty on first run."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from luoshi.ledger import services
from luoshi.ledger.models import Matter


def _task(office: Any, matter: Matter, unit: Any, task: str, leader: str, person: str,
          due: date, requirement: str, co: list[Any] | None = None) -> None:  # fmt: skip
    services.assignment_add(
        office, matter, task=task, lead_unit=unit, responsible_leader=leader,
        responsible_person=person, due_date=due, progress_requirement=requirement,
        co_units=co or [],
    )  # fmt: skip


def seed_demo_matters(users: dict[str, Any], units: dict[str, Any]) -> int:
    """Four matters: in progress, waiting to be signed, waiting for approval, and a draft;
    then five further along (see ``luoshi.demo.followup``)."""
    if Matter.objects.exists():
        return 0
    office, leader = users["office"], users["vleader"]
    desk = units["市政府督查室"]
    today = timezone.localdate()
    later = today + timedelta(days=40)
    housing, ecology = units["市住房和城乡建设局"], units["市生态环境局"]

    m1 = services.matter_create(
        office, office=desk, title="关于老旧小区加装电梯进度滞后问题的批示",
        content="请市住建局牵头查明进度滞后原因，提出加快推进的措施，并报办理结果。",
        source="instruction", category="decision", priority="key", supervising_leader=leader,
        instructing_leader="张建国", instruction_text="请住建局抓紧落实，七日内报结果。",
        received_on=today, result_required=True, tags=["民生实事"],
    )  # fmt: skip
    _task(office, m1, housing, "查明加装电梯进度滞后原因并提出措施", "孙立军", "赵敏",
          services_due(m1, today), "每周报送推进情况", [units["市财政局"]])  # fmt: skip
    services.matter_submit(office, m1)
    services.matter_approve(leader, m1, "同意，请抓紧办理。")
    services.matter_assign(office, m1)
    services.assignment_sign(users["liaison_a"], m1.assignments.get())

    m2 = services.matter_create(
        office, office=desk, title="推进城区黑臭水体整治",
        content="落实政府工作报告任务，年内完成城区黑臭水体整治并建立长效管护机制。",
        source="work_report", category="decision", priority="key", supervising_leader=leader,
        stated_deadline=later,
    )  # fmt: skip
    _task(office, m2, ecology, "完成城区黑臭水体整治", "吴国平", "周婷", later, "每月报送整治进度",
          [housing])  # fmt: skip
    services.matter_submit(office, m2)
    services.matter_approve(leader, m2)
    services.matter_assign(office, m2)

    m3 = services.matter_create(
        office, office=desk, title="市政府常务会议议定：优化营商环境十条措施",
        content="各牵头单位按分工抓好营商环境十条措施落实。", source="meeting",
        category="decision", supervising_leader=leader, meeting_name="市政府第十二次常务会议",
        meeting_date=today, stated_deadline=later,
    )  # fmt: skip
    _task(
        office, m3, housing, "压减工程建设项目审批时限", "孙立军", "赵敏", later, "每月报送审批时限"
    )
    services.matter_submit(office, m3)

    m4 = services.matter_create(
        office, office=desk, title="贯彻落实省安全生产专项整治文件",
        content="按省文件要求开展安全生产专项整治。", source="document", category="special",
        doc_number="省安委〔2026〕5号", doc_issuer="省安全生产委员会", stated_deadline=later,
    )  # fmt: skip
    del m4
    from luoshi.demo.followup import seed_demo_followup

    return 4 + seed_demo_followup(users, units)


def services_due(matter: Matter, today: date) -> date:
    from luoshi.ledger.rules import matter_due_date, policy_for

    due = matter_due_date(matter, policy_for(matter.office), today)
    return due or today
