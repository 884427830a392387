"""Sheets built in the tests with openpyxl, as offices make them (title row, merged cells)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook

from luoshi.followup.services.reports import report_submit
from luoshi.ledger import services as ledger

REPORT = "已完成 12 个小区的主体施工，剩余 8 个正在推进。"
HEADER = ["序号", "事项名称", "工作任务", "牵头单位", "配合单位", "责任领导", "责任人", "完成时限"]


def xlsx(rows: list[Any], merges: tuple[str, ...] = ()) -> bytes:
    """A one-sheet workbook of ``rows`` (row 1 first) with ``merges`` such as "A3:A5"."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "责任分解表"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def decomposition(*, lead2: str = "市财政局", deadline2: Any = "2026年6月底前") -> bytes:
    """A typical 责任分解表: title row, two-row header (责任单位 over 牵头/配合), and a
    matter over rows 4–5 (merged 序号/事项名称) with two tasks, then a one-row matter."""
    rows = [
        ["2026年政府工作报告重点工作责任分解表"],
        ["序号", "重点工作", "具体任务", "责任单位", None, "责任领导", "责任人", "完成时限"],
        [None, None, None, "牵头单位", "配合单位", None, None, None],
        [1, "推进老旧小区改造", "完成 20 个小区改造", "市住房和城乡建设局", "市财政局、市发改委",
         "孙立军", "赵敏", "2026年6月30日"],
        [None, None, "落实改造资金", lead2, None, "某局长", "某科长", deadline2],
        [2, "优化营商环境", "推行一网通办", "市市场监督管理局", None, "某局长", "某科长", "长期"],
    ]  # fmt: skip
    merges = ("A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:G3", "H2:H3",
              "A4:A5", "B4:B5")  # fmt: skip
    return xlsx(rows, merges)


@pytest.fixture
def matters(users, units, now):
    """A running matter with two tasks (one reported), a long-term draft, a draft without
    tasks: the three shapes of ledger rows."""
    office, place = users["office"], units["市政府督查室"]
    a = ledger.matter_create(
        office, office=place, title="老旧小区改造", content="改造 20 个小区", source="meeting",
        category="decision", meeting_name="市政府常务会议", meeting_date=date(2026, 11, 20),
        stated_deadline=date(2026, 12, 31),
    )  # fmt: skip
    for lead, co, due in (("市住房和城乡建设局", ["市财政局"], date(2026, 12, 31)),
                          ("市生态环境局", [], date(2026, 12, 25))):  # fmt: skip
        ledger.assignment_add(
            office, a, task="施工", lead_unit=units[lead], co_units=[units[c] for c in co],
            responsible_leader="孙立军", responsible_person="赵敏", due_date=due,
            progress_requirement="每月报送",
        )  # fmt: skip
    ledger.matter_submit(office, a)
    ledger.matter_approve(users["vleader"], a)
    ledger.matter_assign(office, a)
    first, second = a.assignments.order_by("id")
    ledger.assignment_sign(users["liaison_a"], first)
    ledger.assignment_sign(users["liaison_b"], second)
    report_submit(users["head_a"], first, text=REPORT, progress=60)
    b = ledger.matter_create(office, office=place, title="优化营商环境", content="长期推进",
                             source="work_report", category="routine", long_term=True)  # fmt: skip
    ledger.assignment_add(office, b, task="一网通办", lead_unit=units["市市场监督管理局"],
                          responsible_leader="某局长", responsible_person="某科长")  # fmt: skip
    c = ledger.matter_create(office, office=place, title="落实省里文件", content="传达学习",
                             source="document", category="routine", doc_number="清政发〔2026〕3号",
                             doc_issuer="清河市人民政府")  # fmt: skip
    return a, b, c
