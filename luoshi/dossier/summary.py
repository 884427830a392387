"""事项概要: the matter's summary as a DOCX in the official fonts, on A4 with the margins of
GB/T 9704-2012, from which LibreOffice makes the PDF (so both look the same)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from luoshi.core import masking
from luoshi.documents import fonts
from luoshi.dossier import fmt
from luoshi.dossier.collect import Dossier
from luoshi.dossier.eventlog import status_label, transition
from luoshi.followup.states import CompletionStatus, ExtensionStatus, ReportStatus
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.states import Light
from luoshi.urging.states import UrgingKind, UrgingStatus

TEXT_WIDTH_MM = 210 - 28 - 26
BODY_PT, TABLE_PT, HEADING_PT, TITLE_PT = 14, 10.5, 16, 22
CHINESE_NUMBERS = "一二三四五六七八九十"
OUTCOMES = {"accepted": "已采纳", "returned": "被退回"}


def _font(run: Any, family: str, size: float, bold: bool = False) -> None:
    """Name the font for Latin and East Asian text alike: Word picks the East Asian slot
    for Chinese characters, and python-docx's ``font.name`` sets only the Latin ones."""
    run.font.name = family
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), family)


class Writer:
    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        _font(normal, fonts.BODY, BODY_PT)
        normal.paragraph_format.space_after = Pt(0)
        self.sections = 0

    def paragraph(self, text: str, family: str = fonts.BODY, size: float = BODY_PT,
                  bold: bool = False, center: bool = False) -> Paragraph:  # fmt: skip
        p = self.doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), family, size, bold)
        return p

    def title(self, text: str) -> None:
        p = self.paragraph(text, fonts.TITLE, TITLE_PT, center=True)
        p.paragraph_format.space_after = Pt(6)

    def heading(self, text: str) -> None:
        p = self.paragraph(f"{CHINESE_NUMBERS[self.sections]}、{text}", fonts.HEADING, HEADING_PT)
        p.paragraph_format.space_before = Pt(12)
        p.paragraph_format.space_after = Pt(6)
        p.paragraph_format.keep_with_next = True
        self.sections += 1

    def subheading(self, text: str) -> None:
        p = self.paragraph(text, fonts.SUBHEADING, BODY_PT + 1)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = True

    def text(self, text: str) -> None:
        for line in (text or "—").splitlines() or ["—"]:
            p = self.paragraph(line)
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)

    def table(self, head: list[str] | None, rows: list[list[str]], widths: list[int]) -> Table:
        table = self.doc.add_table(rows=0, cols=len(widths))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        scale = TEXT_WIDTH_MM / sum(widths)
        # LibreOffice lays columns out from the table grid, Word from the cells: set both.
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width * scale)
        all_rows = ([head] if head else []) + rows
        for r, values in enumerate(all_rows):
            row = table.add_row()
            if head and r == 0:
                # The header row repeats on every page the table runs over.
                mark = OxmlElement("w:tblHeader")
                mark.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(mark)
            for cell, value, width in zip(row.cells, values, widths, strict=True):
                cell.width = Mm(width * scale)
                lines = (value or "").splitlines() or [""]
                first = cell.paragraphs[0]
                for i, line in enumerate(lines):
                    p = first if i == 0 else cell.add_paragraph()
                    family = fonts.HEADING if head and r == 0 else fonts.BODY
                    _font(p.add_run(line), family, TABLE_PT)
        self.doc.add_paragraph()
        return table

    def facts(self, pairs: list[tuple[str, str]]) -> None:
        self.table(None, [[k, v] for k, v in pairs], [30, 126])

    def none(self) -> None:
        self.text("无。")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def source_details(m: Matter) -> str:
    if m.source == "meeting":
        return f"{m.meeting_name} {fmt.day(m.meeting_date)}".strip()
    if m.source == "instruction":
        parts = [f"{m.instructing_leader}批示", f"{fmt.day(m.received_on)}收到"]
        if m.result_required:
            parts.append("要求报送结果")
        return "，".join(parts) + (f"：{m.instruction_text}" if m.instruction_text else "")
    if m.source == "document":
        return f"{m.doc_issuer} {m.doc_number}".strip()
    return "；".join(x for x in (m.meeting_name, m.instructing_leader, m.doc_number) if x)


def deadline(m: Matter) -> str:
    if m.due_date:
        return fmt.day(m.due_date)
    if m.long_term:
        return "长期"
    return f"{fmt.day(m.stated_deadline)}（明确的时限）" if m.stated_deadline else "—"


def _header(w: Writer, m: Matter) -> None:
    w.heading("事项基本情况")
    pairs = [
        ("事项编号", m.number or "（未编号）"), ("事项名称", m.title),
        ("督查机构", m.office.name), ("事项来源", m.get_source_display()),
        ("来源详情", source_details(m) or "—"), ("督查类别", m.get_category_display()),
        ("重要程度", m.get_priority_display()), ("分管领导", fmt.person(m.supervising_leader)
                                                 if m.supervising_leader else "—"),
        ("完成时限", deadline(m)), ("状态", m.get_status_display()),
        ("亮灯", str(Light(m.light).label)), ("立项时间", fmt.when(m.approved_at)),
        ("交办时间", fmt.when(m.assigned_at)), ("销号时间", fmt.when(m.closed_at)),
    ]  # fmt: skip
    if m.archived_at:
        pairs.append(("归档时间", fmt.when(m.archived_at)))
    if m.cancel_reason:
        pairs.append(("撤销原因", m.cancel_reason))
    if m.tags:
        pairs.append(("标签", "、".join(str(t) for t in m.tags)))
    w.facts(pairs)
    w.heading("内容及要求")
    w.text(m.content)


def _assignment(w: Writer, d: Dossier, number: int, a: Assignment, phone: str) -> None:
    lead = a.lead_unit.name if a.lead_unit else "（未定牵头单位）"
    w.subheading(f"（{CHINESE_NUMBERS[(number - 1) % 10]}）任务{number}：{lead}")
    co = [c.unit.name + (f"（延伸督查：{c.reason}）" if c.extended else "")
          for c in a.co_units.all()]  # fmt: skip
    due = fmt.day(a.due_date)
    if a.original_due_date and a.original_due_date != a.due_date:
        due += f"（原定 {fmt.day(a.original_due_date)}）"
    changes = [f"{fmt.day(c.previous)} → {fmt.day(c.due_date)}（{c.get_cause_display()}，"
               f"{fmt.person(c.by)} {fmt.when(c.at)}{'：' + c.comment if c.comment else ''}）"
               for c in d.deadline_changes.get(a.pk, [])]  # fmt: skip
    person = a.responsible_person + (f"（{phone}）" if phone else "")
    milestones = [f"{fmt.day(ms.due_date)} {ms.deliverable}（"
                  f"{'已完成 ' + fmt.when(ms.reached_at) if ms.reached_at else '未完成'}）"
                  for ms in a.milestones.all()]  # fmt: skip
    pairs = [
        ("任务内容", a.task), ("牵头单位", lead), ("配合单位", "、".join(co) or "—"),
        ("责任领导", a.responsible_leader or "—"), ("责任人", person or "—"),
        ("完成时限", due), ("时限变更", "\n".join(changes) or "无"),
        ("反馈周期", a.get_report_cycle_display()), ("进度要求", a.progress_requirement or "—"),
    ]  # fmt: skip
    if a.indicator_name:
        target = fmt.number(a.indicator_target)
        pairs.append(("指标", f"{a.indicator_name} 目标 {target}{a.indicator_unit}"))
    signed = fmt.when(a.signed_at) + (f"（{fmt.person(a.signed_by)}）" if a.signed_by else "")
    pairs += [
        ("状态", a.get_status_display()), ("亮灯", str(Light(a.light).label)),
        ("交办时间", fmt.when(a.assigned_at)), ("签收时间", signed),
        ("申请办结时间", fmt.when(a.completion_requested_at)),
        ("办结时间", fmt.when(a.completed_at)),
    ]  # fmt: skip
    if a.return_reason:
        pairs.append(("退回理由", a.return_reason))
    pairs.append(("节点", "\n".join(milestones) or "无"))
    w.facts(pairs)


def _task(d: Dossier, assignment_id: int | None) -> str:
    n = d.task_number(assignment_id)
    for a in d.assignments:
        if a.pk == assignment_id:
            return f"任务{n}：{a.lead_unit.name if a.lead_unit else '—'}"
    return "—"


def _decision(by: Any, at: datetime | None, comment: str) -> str:
    if at is None:
        return ""
    return f"{fmt.person(by)} {fmt.when(at)}" + (f"：{comment}" if comment else "")


def _extensions(w: Writer, d: Dossier) -> None:
    w.heading("延期申请")
    if not d.extensions:
        return w.none()
    rows = []
    for x in d.extensions:
        opinions = [f"督查室：{_decision(x.office_by, x.office_at, x.office_comment)}"
                    if x.office_at else "",
                    f"领导：{_decision(x.leader_by, x.leader_at, x.leader_comment)}"
                    if x.leader_at else ""]  # fmt: skip
        rows.append([
            _task(d, x.assignment_id), f"{fmt.person(x.requested_by)}\n{fmt.when(x.requested_at)}",
            f"{fmt.day(x.current_due)} → {fmt.day(x.new_due)}", x.reason,
            str(ExtensionStatus(x.status).label), "\n".join(o for o in opinions if o) or "—",
        ])  # fmt: skip
    w.table(["任务", "申请", "时限", "延期理由", "结果", "审核审批意见"], rows,
            [20, 22, 22, 40, 14, 38])  # fmt: skip


def _completions(w: Writer, d: Dossier) -> None:
    w.heading("办结与核查")
    if not d.completions:
        return w.none()
    rows = []
    for c in d.completions:
        check = _decision(c.verified_by, c.verified_at, c.verify_comment) or "—"
        if c.onsite_on:
            check += (f"\n实地核查 {fmt.day(c.onsite_on)}（{c.onsite_by or '—'}）："
                      f"{c.onsite_findings or '—'}")  # fmt: skip
        files = len(c.attachments.all())
        result = c.result + (f"\n佐证材料 {files} 个" if files else "")
        rows.append([_task(d, c.assignment_id),
                     f"{fmt.person(c.requested_by)}\n{fmt.when(c.requested_at)}", result,
                     str(CompletionStatus(c.status).label), check])  # fmt: skip
    w.table(["任务", "申请", "办理结果", "结果", "核查"], rows, [20, 22, 54, 14, 46])


def _reports(w: Writer, d: Dossier) -> None:
    w.heading("办理情况反馈")
    if not d.reports:
        return w.none()
    rows = []
    for seq, r in enumerate(d.reports, start=1):
        lines = [r.text]
        for rev in r.revisions.all():
            if rev.outcome:
                note = f"第{rev.number}版 {OUTCOMES.get(rev.outcome, rev.outcome)}（"
                note += _decision(rev.decided_by, rev.decided_at, rev.comment) + "）"
                lines.append(note)
        files = sum(len(rev.attachments.all()) for rev in r.revisions.all())
        if files:
            lines.append(f"佐证材料 {files} 个")
        rows.append([str(seq), r.unit.name, fmt.when(r.submitted_at),
                     str(ReportStatus(r.status).label), f"{r.progress}%",
                     "\n".join(lines)])  # fmt: skip
    w.table(["序号", "单位", "报送时间", "状态", "进度", "办理情况及处理结果"], rows,
            [10, 24, 22, 18, 12, 70])  # fmt: skip


def _urgings(w: Writer, d: Dossier) -> None:
    w.heading("催办督办")
    if not d.urgings:
        return w.none()
    rows = []
    for u in d.urgings:
        lines = [u.text]
        if u.replied_at:
            lines.append(f"回复（{fmt.person(u.replied_by)} {fmt.when(u.replied_at)}"
                         f"{'，逾期' if u.replied_late else ''}）：{u.reply_text}")  # fmt: skip
        if u.reviewed_at:
            lines.append("督查室意见：" + _decision(u.reviewed_by, u.reviewed_at, u.review_comment))
        if u.cancel_reason:
            lines.append(f"撤回原因：{u.cancel_reason}")
        rows.append([f"{UrgingKind(u.kind).label}\n{u.number}", u.unit.name,
                     f"{fmt.person(u.issued_by)}\n{fmt.when(u.issued_at)}", fmt.day(u.reply_due),
                     str(UrgingStatus(u.status).label), "\n".join(lines)])  # fmt: skip
    w.table(["编号", "被催办单位", "发出", "回复时限", "状态", "内容"], rows,
            [24, 24, 22, 18, 14, 54])  # fmt: skip


def _timeline(w: Writer, d: Dossier) -> None:
    w.heading("事项记录（时间轴）")
    rows = []
    for e in d.events:
        before, after = (status_label(e, s) for s in transition(e))
        change = f"{before or '—'} → {after}" if after else ""
        task = _task(d, e.assignment_id) if e.assignment_id else ""
        note = "\n".join(x for x in (task, e.comment) if x)
        rows.append([fmt.when(e.at), fmt.person(e.actor), e.action_label, change, note])
    if not rows:
        return w.none()
    w.table(["时间", "操作人", "操作", "状态变化", "说明"], rows, [32, 16, 24, 32, 52])


def build(d: Dossier, exported_by: Any, exported_at: datetime) -> bytes:
    m = d.matter
    w = Writer()
    w.doc.core_properties.title = f"{m.title} 事项概要"
    w.doc.core_properties.author = fmt.person(exported_by)
    w.title(m.title)
    w.paragraph(f"一事一档 · 事项概要（{m.number or '未编号'}）", fonts.SUBHEADING, BODY_PT,
                center=True)  # fmt: skip
    w.paragraph(f"导出时间：{fmt.when(exported_at)}　导出人：{fmt.person(exported_by)}",
                size=TABLE_PT, center=True)  # fmt: skip
    _header(w, m)
    w.heading("承办任务")
    if not d.assignments:
        w.none()
    revealed: list[Assignment] = []  # full numbers only for the office, audited once
    allowed = masking.may_see_responsible_phones(exported_by, m)
    for number, a in enumerate(d.assignments, start=1):
        _assignment(w, d, number, a, masking.for_export(exported_by, a, revealed, allowed))
    masking.audit_export(exported_by, revealed, "一事一档导出", obj=m)
    _extensions(w, d)
    _completions(w, d)
    _reports(w, d)
    _urgings(w, d)
    _timeline(w, d)
    return w.save()
