"""A matter with a whole history, built through the real services: two tasks (市住建局
with 市财政局 co-operating, and 市环境局), a report returned and resubmitted with evidence,
a second unit's report, an extension approved by the office and the leader, an urging
notice answered, and a completion verified on site with its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine

from luoshi.followup.services import closing, extensions, reports
from luoshi.followup.tests.conftest import PDF, PNG, upload
from luoshi.ledger import services
from luoshi.ledger.models import Assignment, Matter
from luoshi.urging import services as urging

TITLE = "老旧小区改造提升工程"
# A larger file, so streaming runs over more than one chunk of the ZIP's deflate buffer.
BIG = b"%PDF-1.4\n" + bytes(range(256)) * 4096


@dataclass
class Built:
    matter: Matter
    housing: Assignment
    ecology: Assignment


@pytest.fixture
def clock():
    with time_machine.travel("2026-11-16 09:00 +0800", tick=False) as traveller:
        yield traveller


def build(users: Any, units: Any, clock: Any) -> Built:
    office, vleader = users["office"], users["vleader"]
    matter = services.matter_create(
        office, office=units["市政府督查室"], title=TITLE, content="第一段要求。\n第二段要求。",
        source="meeting", category="decision", priority="key", meeting_name="市政府常务会议",
        meeting_date=date(2026, 11, 13), stated_deadline=date(2026, 12, 31),
        supervising_leader=vleader,
    )  # fmt: skip
    services.assignment_add(
        office, matter, task="完成 12 个小区的改造", lead_unit=units["市住房和城乡建设局"],
        co_units=[units["市财政局"]], responsible_leader="某局长", responsible_person="某科长",
        due_date=date(2026, 12, 31), progress_requirement="每月报送进展",
        milestones=[(date(2026, 12, 1), "完成施工招标")],
    )  # fmt: skip
    services.assignment_add(
        office, matter, task="同步完成污水管网改造", lead_unit=units["市生态环境局"],
        responsible_leader="某局长", responsible_person="某处长", due_date=date(2026, 12, 15),
        progress_requirement="每月报送进展",
    )  # fmt: skip
    services.matter_submit(office, matter)
    services.matter_approve(vleader, matter)
    services.matter_assign(office, matter)
    housing, ecology = matter.assignments.order_by("id")
    services.assignment_sign(users["liaison_a"], housing)
    services.assignment_sign(users["liaison_b"], ecology)

    clock.move_to("2026-11-18 10:00 +0800")
    r = reports.report_submit(users["head_a"], housing, text="已完成 12 个小区的施工招标工作。", progress=30,
                              files=[upload("现场 照片.png", PNG), upload("招标公告.pdf", PDF)])  # fmt: skip
    clock.move_to("2026-11-18 15:00 +0800")
    reports.report_return(office, r, "请补充资金到位情况。")
    clock.move_to("2026-11-19 09:00 +0800")
    reports.report_resubmit(users["head_a"], r, text="已完成招标，资金已到位 8000 万元。",
                            progress=40, files=[upload("招标公告.pdf", BIG)])  # fmt: skip
    reports.report_accept(office, r, "同意。")
    reports.report_submit(users["head_b"], ecology, text="管网改造已完成全部设计工作。", progress=20,
                          files=[upload('管网 "设计".pdf', PDF)])  # fmt: skip

    clock.move_to("2026-11-20 09:00 +0800")
    x = extensions.extension_request(
        users["liaison_b"], ecology, date(2026, 12, 31), "受汛期施工条件限制，申请延期以保证质量。"
    )
    extensions.extension_approve(office, x, "同意，报领导审批。")
    extensions.extension_approve(vleader, x, "同意延期。")
    n = urging.urging_issue(office, ecology, unit=units["市生态环境局"],
                            text="请加快管网改造进度，说明滞后原因和整改措施。")  # fmt: skip
    urging.urging_reply(users["liaison_b"], n, "已增派施工队伍，月底前完成主体施工。")

    clock.move_to("2026-11-23 09:30 +0800")
    closing.request_completion(users["liaison_a"], housing, "12 个小区改造全部完成并通过验收。",
                               files=[upload("验收报告.pdf", PDF)])  # fmt: skip
    closing.verify(office, housing, accept=True, comment="核查属实。",
                   onsite_on=date(2026, 11, 23), onsite_by="李明", onsite_findings="现场查看属实。")  # fmt: skip
    matter.refresh_from_db()
    housing.refresh_from_db()
    ecology.refresh_from_db()
    return Built(matter, housing, ecology)


@pytest.fixture
def built(users, units, clock) -> Built:
    return build(users, units, clock)


@pytest.fixture
def no_office(monkeypatch) -> None:
    """No LibreOffice: the ZIP comes without the PDF (and the test costs no conversion)."""
    from luoshi.documents import convert

    monkeypatch.setattr(convert, "soffice", lambda: None)
