"""Building matters for tests through the real services."""

from datetime import date
from typing import Any

from luoshi.ledger import services
from luoshi.ledger.models import Matter


def make_matter(users: Any, units: Any, *, title: str = "测试事项", priority: str = "key",
                assigned: bool = False, lead: str = "市住房和城乡建设局") -> Matter:  # fmt: skip
    office = users["office"]
    matter = services.matter_create(
        office, office=units["市政府督查室"], title=title, content=f"{title}的内容",
        source="meeting", category="decision", priority=priority,
        meeting_name="市政府常务会议", meeting_date=date(2026, 11, 20),
        stated_deadline=date(2026, 12, 31), supervising_leader=users["vleader"],
    )  # fmt: skip
    services.assignment_add(
        office, matter, task=f"{title}的任务", lead_unit=units[lead],
        responsible_leader="某局长", responsible_person="某科长", due_date=date(2026, 12, 31),
        progress_requirement="每月报送进展", co_units=[units["市财政局"]],
    )  # fmt: skip
    if assigned:
        services.matter_submit(office, matter)
        services.matter_approve(users["vleader"], matter)
        services.matter_assign(office, matter)
        matter.refresh_from_db()
    return matter
