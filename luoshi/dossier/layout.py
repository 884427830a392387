"""Where each record goes in the ZIP, and the text file written for each progress report.

Reports are numbered in the order they were first submitted, across the matter; the
report's text file and its evidence folder carry the same number, unit and date."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from luoshi.dossier import fmt
from luoshi.dossier.collect import Dossier
from luoshi.followup.models import Attachment, ProgressReport
from luoshi.followup.states import ReportStatus
from luoshi.ledger.models import Assignment

OUTCOMES = {"accepted": "已采纳", "returned": "被退回"}


@dataclass
class Layout:
    report_files: dict[int, str] = field(default_factory=dict)  # report id → .txt path
    # attachment id → path in the ZIP, in the order they are written
    files: dict[int, str] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)


def _unit(report: ProgressReport) -> str:
    return fmt.safe_name(report.unit.name, "单位")


def plan(d: Dossier) -> Layout:
    layout = Layout()
    folders: dict[str, set[str]] = {}

    def place(folder: str, att: Attachment) -> None:
        taken = folders.setdefault(folder, set())
        name = fmt.unique(fmt.safe_name(att.name), taken)
        layout.files[att.pk] = f"附件/{folder}/{name}"
        layout.attachments[att.pk] = att

    for seq, report in enumerate(d.reports, start=1):
        stem = f"{seq:02d}_{_unit(report)}_{timezone.localdate(report.submitted_at):%Y-%m-%d}"
        layout.report_files[report.pk] = f"办理情况/{stem}.txt"
        for rev in report.revisions.all():
            for att in rev.attachments.all():
                place(f"办理情况{stem}", att)
    tasks = {a.pk: a for a in d.assignments}
    for seq, req in enumerate(d.completions, start=1):
        lead = tasks[req.assignment_id].lead_unit if req.assignment_id in tasks else None
        unit = fmt.safe_name(lead.name if lead else "", "单位")
        folder = f"申请办结{seq:02d}_{unit}_{timezone.localdate(req.requested_at):%Y-%m-%d}"
        for att in req.attachments.all():
            place(folder, att)
    for att in d.loose_files:
        place("其他材料", att)
    return layout


def _task(assignments: dict[int, Assignment], report: ProgressReport) -> str:
    a = assignments.get(report.assignment_id)
    if a is None:
        return "—"
    return f"{a.lead_unit.name if a.lead_unit else '（未定牵头单位）'}：{a.task}"


def report_text(d: Dossier, layout: Layout, seq: int, report: ProgressReport) -> str:
    """One report with every version submitted, what became of each, and its evidence."""
    m = d.matter
    tasks = {a.pk: a for a in d.assignments}
    lines = [
        f"办理情况反馈（第 {seq} 份）",
        f"事项：{m.number or '（未编号）'} {m.title}",
        f"任务：{_task(tasks, report)}",
        f"报送单位：{report.unit.name}（{report.get_kind_display()}）",
        f"所属反馈时限：{fmt.day(report.period_due)}",
        f"首次报送时间：{fmt.when(report.submitted_at)}",
        f"当前状态：{ReportStatus(report.status).label}（第 {report.revision} 版）",
        f"完成进度：{report.progress}%",
        f"逾期报送：{'是' if report.late else '否'}",
    ]
    if report.accepted_at:
        lines.append(f"采纳时间：{fmt.when(report.accepted_at)}")
    a = tasks.get(report.assignment_id)
    for rev in report.revisions.all():
        lines += ["", f"—— 第 {rev.number} 版 ——",
                  f"报送人：{fmt.person(rev.submitted_by)}　报送时间：{fmt.when(rev.submitted_at)}",
                  f"完成进度：{rev.progress}%"]  # fmt: skip
        if rev.indicator_value is not None:
            name = (a.indicator_name if a else "") or "指标"
            unit = a.indicator_unit if a else ""
            lines.append(f"{name}完成值：{fmt.number(rev.indicator_value)}{unit}")
        reached = [ms.deliverable for ms in rev.milestones.all()]
        if reached:
            lines.append("报告完成节点：" + "；".join(reached))
        lines += ["办理情况：", rev.text]
        evidence = list(rev.attachments.all())
        if evidence:
            lines.append("佐证材料：")
            lines += [f"  {layout.files[f.pk]}（{f.size} 字节）" for f in evidence]
        if rev.outcome:
            outcome = OUTCOMES.get(rev.outcome, rev.outcome)
            decided = f"{fmt.person(rev.decided_by)} {fmt.when(rev.decided_at)}"
            lines.append(f"处理结果：{outcome}（{decided}）")
            if rev.comment:
                lines.append(f"处理意见：{rev.comment}")
        else:
            lines.append("处理结果：尚未处理")
    # CRLF: Windows Notepad before 2018 shows LF-only files on one line.
    return "\r\n".join(lines) + "\r\n"
