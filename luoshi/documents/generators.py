"""Drafts written from the ledger: a 督查专报 on a matter (source, content, assignments,
latest progress, result) and a 督办通知 to the lead units of its open tasks. The office
edits the text before 签发."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from luoshi.core.errors import ServiceError
from luoshi.documents.models import OfficialDocument
from luoshi.documents.services import document_create
from luoshi.documents.states import DocKind
from luoshi.followup.models import CompletionRequest, ProgressReport
from luoshi.followup.states import CompletionStatus, ReportStatus
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.states import OPEN_ASSIGNMENT_STATES
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.workcal.calendar import add_workdays

NUMERALS = "一二三四五六七八九十"
REPLY_WORKDAYS = 5


def cn_index(i: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 99: heading numbers."""
    if i <= 10:
        return NUMERALS[i - 1]
    tens, ones = divmod(i, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def _d(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "未定"


def _source(m: Matter) -> str:
    label = m.get_source_display()
    details = []
    if m.meeting_name:
        details.append(f"{m.meeting_name}（{_d(m.meeting_date)}）")
    if m.instructing_leader:
        details.append(f"{m.instructing_leader}同志批示：“{m.instruction_text.strip()}”")
    if m.doc_number or m.doc_issuer:
        details.append(f"{m.doc_issuer}{m.doc_number}")
    return f"该事项来源于{label}" + (f"，{'；'.join(details)}" if details else "") + "。"


def _tasks(m: Matter) -> list[Assignment]:
    return list(
        m.assignments.exclude(status__in=[A.DRAFT, A.CANCELLED])
        .select_related("lead_unit")
        .order_by("id")
    )


def _latest_report(a: Assignment) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(assignment=a, status=ReportStatus.ACCEPTED)
        .order_by("-submitted_at", "-id")
        .first()
    )


def _result(a: Assignment) -> CompletionRequest | None:
    return (
        CompletionRequest.objects.filter(assignment=a, status=CompletionStatus.ACCEPTED)
        .order_by("-requested_at", "-id")
        .first()
    )


def brief_body(m: Matter) -> str:
    lines = ["一、事项来源", _source(m), "二、内容及要求", m.content.strip(), "三、任务分解"]
    tasks = _tasks(m)
    if not tasks:
        lines.append("该事项尚未分解交办任务。")
    for i, a in enumerate(tasks, 1):
        lead = a.lead_unit.name if a.lead_unit else "（未定牵头单位）"
        lines.append(f"（{cn_index(i)}）{lead}牵头")
        lines.append(
            f"{a.task.strip()}完成时限：{_d(a.due_date)}；当前状态：{a.get_status_display()}。"
        )
    lines.append("四、最新进展")
    progress = [(a, _latest_report(a)) for a in tasks]
    reported = [(a, r) for a, r in progress if r is not None]
    if not reported:
        lines.append("各承办单位尚无经督查室采纳的办理情况反馈。")
    for a, r in reported:
        assert r is not None
        lead = a.lead_unit.name if a.lead_unit else ""
        lines.append(
            f"{lead}（{_d(timezone.localtime(r.submitted_at).date())}反馈，进度{r.progress}%）：{r.text.strip()}"
        )
    lines.append("五、办理结果")
    results = [(a, _result(a)) for a in tasks]
    done = [(a, c) for a, c in results if c is not None]
    if not done:
        lines.append("该事项尚在办理中，督查室将继续跟踪督办。")
    for a, c in done:
        assert c is not None
        lead = a.lead_unit.name if a.lead_unit else ""
        lines.append(f"{lead}：{c.result.strip()}（经核查属实。）")
    return "\n".join(lines)


@transaction.atomic
def brief_from_matter(actor: Any, matter: Matter) -> OfficialDocument:
    return document_create(
        actor,
        matter.office,
        DocKind.BRIEF,
        title=f"关于“{matter.title}”督查情况的专报",
        body=brief_body(matter),
        recipients="",
        matter=matter,
    )


@transaction.atomic
def notice_from_matter(actor: Any, matter: Matter) -> OfficialDocument:
    tasks = [
        a for a in _tasks(matter) if a.status in OPEN_ASSIGNMENT_STATES and a.lead_unit is not None
    ]
    if not tasks:
        raise ServiceError("该事项没有正在办理的任务，无需督办。", field="matter")
    units = list(dict.fromkeys(a.lead_unit.name for a in tasks if a.lead_unit))
    try:
        reply_due = add_workdays(timezone.localdate(), REPLY_WORKDAYS)
    except Exception as exc:  # the calendar does not know the coming days yet
        raise ServiceError(f"无法计算回复时限：{exc}", field="matter") from None
    number = f"（事项编号：{matter.number}）" if matter.number else ""
    lines = [
        f"“{matter.title}”{number}是市委、市政府确定的重点督查事项。"
        "经督查，以下任务进度滞后或尚未办结，现予督办。",
        "一、督办事项",
    ]
    for i, a in enumerate(tasks, 1):
        assert a.lead_unit is not None
        lines.append(f"（{cn_index(i)}）{a.lead_unit.name}")
        lines.append(
            f"{a.task.strip()}完成时限：{_d(a.due_date)}；当前状态：{a.get_status_display()}。"
        )
    lines += [
        "二、工作要求",
        "（一）各牵头单位要高度重视，主要负责同志亲自研究部署，明确责任人和完成时限，"
        "切实加快工作进度。",
        "（二）配合单位要主动对接、密切协作，形成工作合力。",
        f"（三）请于{_d(reply_due)}前（{REPLY_WORKDAYS}个工作日内）将办理情况书面报送市政府督查室，"
        "并通过督查督办平台反馈。逾期未报或办理不力的，将予以通报。",
    ]
    return document_create(
        actor,
        matter.office,
        DocKind.NOTICE,
        title=f"关于加快推进“{matter.title}”的督办通知",
        body="\n".join(lines),
        recipients="、".join(units),
        matter=matter,
    )
