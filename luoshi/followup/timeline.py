"""The matter page's one timeline and its 挂图作战 chart.

The timeline follows the matter's event log (its order is the order things happened, also
under a frozen clock) and puts in place of the bare events the records they created:
each report version with its content, outcome, comment and evidence, each extension
request, each completion request with its evidence. Units see only the tasks they may
see, and a co-unit only its own report parts. A fixed number of queries, whatever the
history's length."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from luoshi.accounts import access
from luoshi.followup.models import (
    Attachment,
    CompletionRequest,
    ExtensionRequest,
    ProgressReport,
    ReportRevision,
)
from luoshi.followup.states import CompletionStatus, ExtensionStatus, ReportStatus
from luoshi.ledger.models import Assignment, Matter, MatterEvent
from luoshi.ledger.selectors import sees_whole_matter
from luoshi.ledger.services import UNIT_ROLES

REPORT_SUBMITS = {"report_submit", "co_report_submit"}
REPORT_DECISIONS = {"report_head_approve", "report_head_return", "report_accept",
                    "report_return", "co_report_return"}  # fmt: skip
EXTENSION_DECISIONS = {"extension_office_approve", "extension_approve", "extension_reject",
                       "extension_withdraw"}  # fmt: skip
OUTCOMES = {"accepted": ("已采纳", "ok"), "returned": ("被退回", "bad")}


@dataclass
class FileLink:
    name: str
    url: str  # empty until the download view exists
    size: int
    is_image: bool


@dataclass
class Entry:
    at: datetime
    kind: str  # event, revision, extension, completion
    label: str
    actor: str
    task: str = ""  # which task (its lead unit), for matters with several
    status: str = ""  # the state it led to
    comment: str = ""
    text: str = ""  # what was submitted: report text, result, reason
    facts: list[str] = field(default_factory=list)
    files: list[FileLink] = field(default_factory=list)
    outcome: str = ""
    outcome_note: str = ""
    tone: str = ""


def _file(att: Attachment) -> FileLink:
    url = reverse("followup:file", args=[att.pk])
    return FileLink(att.name, url, att.size, att.is_image)


def _name(user: Any) -> str:
    return getattr(user, "name", "") or getattr(user, "username", "") or "系统"


def _task(a: Assignment | None) -> str:
    if a is None or a.lead_unit is None:
        return ""
    return a.lead_unit.name


def _when(at: datetime | None) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else ""


def _revision_entry(rev: ReportRevision, a: Assignment | None, at: datetime) -> Entry:
    report = rev.report
    co = report.kind == ProgressReport.CO
    facts = [f"完成进度 {rev.progress}%"]
    if rev.indicator_value is not None and a is not None:
        facts.append(f"{a.indicator_name or '指标'}完成值 {rev.indicator_value.normalize():f}"
                     f"{a.indicator_unit}")  # fmt: skip
    if rev.number == 1 and report.late:
        facts.append("逾期报送")
    reached = [m.deliverable for m in rev.milestones.all()]
    if reached:
        facts.append("报告完成节点：" + "；".join(reached))
    label = "配合单位报送" if co else "报送办理情况"
    entry = Entry(
        at=at, kind="revision", label=f"{label}（第{rev.number}版）",
        actor=_name(rev.submitted_by), task=f"{report.unit.name}" if co else _task(a),
        text=rev.text, facts=facts, files=[_file(f) for f in rev.attachments.all()],
    )  # fmt: skip
    if rev.outcome in OUTCOMES:
        entry.outcome, entry.tone = OUTCOMES[rev.outcome]
        note = f"{_name(rev.decided_by)} {_when(rev.decided_at)}"
        entry.outcome_note = f"{note}：{rev.comment}" if rev.comment else note
    elif report.revision == rev.number:
        entry.outcome = str(ReportStatus(report.status).label)
    return entry


def _extension_entry(ext: ExtensionRequest, a: Assignment | None, at: datetime) -> Entry:
    status = ExtensionStatus(ext.status)
    tone = {"approved": "ok", "rejected": "bad"}.get(status.value, "")
    return Entry(
        at=at, kind="extension", label="申请延期", actor=_name(ext.requested_by),
        task=_task(a), text=ext.reason,
        facts=[f"完成时限由 {ext.current_due:%Y-%m-%d} 延至 {ext.new_due:%Y-%m-%d}"],
        outcome=str(status.label), tone=tone,
    )  # fmt: skip


def _completion_entry(req: CompletionRequest, a: Assignment | None, at: datetime,
                      with_files: bool) -> Entry:  # fmt: skip
    status = CompletionStatus(req.status)
    files = [_file(f) for f in req.attachments.all()] if with_files else []
    entry = Entry(
        at=at, kind="completion", label="申请办结", actor=_name(req.requested_by),
        task=_task(a), text=req.result, files=files,
        outcome=str(status.label),
        tone={"accepted": "ok", "returned": "bad"}.get(status.value, ""),
    )  # fmt: skip
    if req.verified_at:
        note = f"{_name(req.verified_by)} {_when(req.verified_at)}"
        entry.outcome_note = f"{note}：{req.verify_comment}" if req.verify_comment else note
    return entry


def _event_entry(e: MatterEvent) -> Entry:
    changes = e.changes or {}
    facts = []
    if e.action in REPORT_DECISIONS and changes.get("revision"):
        facts.append(f"第{changes['revision']}版")
    if e.action in EXTENSION_DECISIONS and changes.get("to"):
        facts.append(f"申请延至 {changes['to']}")
    if e.action == "continue" and changes.get("due_date"):
        facts.append(f"新的完成时限 {changes['due_date']}")
    if e.action == "year_review" and changes.get("next_due"):
        facts.append(f"顺延至 {changes['next_due']}")
    if e.action == "onsite_check":
        facts.append(f"核查日期 {changes.get('on', '')}，核查人员 {changes.get('by') or '—'}")
    tone = "bad" if e.action.endswith(("return", "reject")) else ""
    return Entry(at=e.at, kind="event", label=e.action_label, actor=_name(e.actor),
                 task=_task(e.assignment), status=e.to_label if e.to_status else "",
                 comment=e.comment, facts=facts, tone=tone)  # fmt: skip


def _readable_reports(user: Any, everything: set[int],
                      revisions: list[ReportRevision]) -> set[int]:  # fmt: skip
    """Report ids this user may read: all of a task's for oversight and its lead unit; a
    co-unit reads only its own parts (as ``followup.selectors.reports_for``)."""
    return {
        rev.report_id
        for rev in revisions
        if rev.report.assignment_id in everything
        or access.covers(user, UNIT_ROLES, rev.report.unit)
    }


def entries(user: Any, matter: Matter, assignments: list[Assignment]) -> list[Entry]:
    full = sees_whole_matter(user, matter)
    tasks = {a.pk: a for a in assignments}
    events = MatterEvent.objects.filter(matter=matter).select_related(
        "actor", "assignment__lead_unit"
    )
    if not full:
        events = events.filter(Q(assignment__in=list(tasks)) | Q(assignment__isnull=True))
    revisions = list(
        ReportRevision.objects.filter(report__assignment__in=list(tasks))
        .select_related("report__unit", "submitted_by", "decided_by")
        .prefetch_related("milestones", "attachments")
        .order_by("submitted_at", "id")
    )
    # Tasks whose every report and file this user reads: oversight's, the lead unit's.
    everything = {
        a.pk
        for a in assignments
        if full or (a.lead_unit is not None and access.covers(user, UNIT_ROLES, a.lead_unit))
    }
    readable = _readable_reports(user, everything, revisions)
    by_revision: dict[tuple[Any, Any], ReportRevision] = {
        (r.report_id, r.number): r for r in revisions if r.report_id in readable
    }
    extensions = {
        x.pk: x
        for x in ExtensionRequest.objects.filter(assignment__in=list(tasks)).select_related(
            "requested_by"
        )
    }
    completions: dict[int, list[CompletionRequest]] = defaultdict(list)
    for req in (
        CompletionRequest.objects.filter(assignment__in=list(tasks))
        .select_related("requested_by", "verified_by")
        .prefetch_related("attachments")
        .order_by("requested_at", "id")
    ):
        completions[req.assignment_id].append(req)
    used_revisions: set[tuple[Any, Any]] = set()
    used_extensions: set[int] = set()
    out: list[tuple[datetime, int, int, Entry]] = []
    for e in events.order_by("at", "id"):
        changes = e.changes or {}
        a = tasks.get(e.assignment_id) if e.assignment_id else None
        report = changes.get("report")
        if e.action in REPORT_SUBMITS | REPORT_DECISIONS and report not in readable:
            continue
        entry: Entry | None = None
        if e.action in REPORT_SUBMITS:
            key = (report, changes.get("revision"))
            rev = by_revision.get(key)
            if rev is not None:
                entry = _revision_entry(rev, a, e.at)
                used_revisions.add(key)
        elif e.action == "extension_request" and changes.get("extension") in extensions:
            entry = _extension_entry(extensions[changes["extension"]], a, e.at)
            used_extensions.add(changes["extension"])
        elif e.action == "request_completion" and completions.get(e.assignment_id or 0):
            # Each 申请办结 wrote one request and one event: the k-th of each go together.
            req = completions[e.assignment_id or 0].pop(0)
            entry = _completion_entry(req, a, e.at, req.assignment_id in everything)
        out.append((e.at, 0, e.pk, entry or _event_entry(e)))
    # Records without their event (made outside the services) still show, at their time.
    for key, rev in by_revision.items():
        if key not in used_revisions:
            a = tasks.get(rev.report.assignment_id)
            out.append((rev.submitted_at, 1, rev.pk, _revision_entry(rev, a, rev.submitted_at)))
    for pk, x in extensions.items():
        if pk not in used_extensions:
            a = tasks.get(x.assignment_id)
            out.append((x.requested_at, 1, pk, _extension_entry(x, a, x.requested_at)))
    for reqs in completions.values():
        for req in reqs:
            a = tasks.get(req.assignment_id)
            entry = _completion_entry(req, a, req.requested_at, req.assignment_id in everything)
            out.append((req.requested_at, 1, req.pk, entry))
    out.sort(key=lambda row: (row[0], row[1], row[2]))
    return [row[3] for row in out]


# 挂图作战: positions in percent of the chart's width, computed here so the template is
# plain HTML and CSS. Dates map into [EDGE, 100 - EDGE] so end markers are not clipped.
EDGE = 2.0
MILESTONE_STATES = {"reached": "已完成", "overdue": "已逾期", "upcoming": "未到期"}


@dataclass
class Marker:
    left: str
    state: str
    label: str


@dataclass
class Bar:
    number: int
    task: str
    unit: str
    url: str
    left: str
    width: str
    tone: str  # a light (red, yellow, green), "done", or "none"
    label: str  # the bar in words, for screen readers and tooltips
    original_left: str = ""
    markers: list[Marker] = field(default_factory=list)


@dataclass
class Tick:
    left: str
    label: str


@dataclass
class Gantt:
    bars: list[Bar]
    ticks: list[Tick]
    today_left: str
    today: date
    start: date
    end: date


def _pct(d: date, lo: date, span: int) -> float:
    return EDGE + (100 - 2 * EDGE) * (d - lo).days / span


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def _ticks(lo: date, hi: date, span: int) -> list[Tick]:
    """The first of each month in range, thinned to at most eight labels."""
    firsts = []
    d = date(lo.year, lo.month, 1)
    while d <= hi:
        if d >= lo:
            firsts.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    step = max(1, -(-len(firsts) // 8))
    return [
        Tick(_fmt(_pct(d, lo, span)), f"{d.year}年{d.month}月" if i == 0 or d.month == 1
             else f"{d.month}月")
        for i, d in enumerate(firsts[::step])
    ]  # fmt: skip


def chart(assignments: list[Assignment], today: date) -> Gantt | None:
    """A bar per task from 交办 to its deadline (the original one marked when it moved),
    its milestones as markers, and today's line; None before anything was assigned."""
    tasks = [a for a in assignments
             if a.status != "cancelled" and a.assigned_at and a.due_date]  # fmt: skip
    if not tasks:
        return None
    starts = {a.pk: timezone.localdate(a.assigned_at) for a in tasks if a.assigned_at}
    days = [today, *starts.values()]
    for a in tasks:
        days += [d for d in (a.due_date, a.original_due_date) if d]
        days += [m.due_date for m in a.milestones.all()]
    lo, hi = min(days), max(days)
    span = max((hi - lo).days, 1)
    bars = []
    for number, a in enumerate(tasks, start=1):
        assert a.due_date is not None
        start, due = starts[a.pk], a.due_date
        left = _pct(start, lo, span)
        tone = "done" if a.status == "completed" else (a.light or "none")
        moved = a.original_due_date if a.original_due_date != due else None
        words = f"交办 {start:%Y-%m-%d}，完成时限 {due:%Y-%m-%d}"
        if moved:
            words += f"（原定 {moved:%Y-%m-%d}）"
        words += f"，{a.get_status_display()}"
        if a.light:
            words += f"，{a.get_light_display()}"
        bar = Bar(
            number=number, task=a.task, unit=_task(a) or "—",
            url=reverse("ledger:assignment", args=[a.pk]), left=_fmt(left),
            width=_fmt(max(_pct(due, lo, span) - left, 0.8)), tone=tone, label=words,
            original_left=_fmt(_pct(moved, lo, span)) if moved else "",
        )  # fmt: skip
        for m in a.milestones.all():
            state = ("reached" if m.reached_at else "overdue" if m.due_date < today
                     else "upcoming")  # fmt: skip
            bar.markers.append(Marker(
                _fmt(_pct(m.due_date, lo, span)), state,
                f"节点 {m.due_date:%Y-%m-%d} {m.deliverable}（{MILESTONE_STATES[state]}）",
            ))  # fmt: skip
        bars.append(bar)
    return Gantt(bars, _ticks(lo, hi, span), _fmt(_pct(today, lo, span)), today, lo, hi)


def context(user: Any, matter: Matter, assignments: list[Assignment]) -> dict[str, Any]:
    today: date = timezone.localdate()
    return {
        "timeline": entries(user, matter, assignments),
        "gantt": chart(assignments, today),
        "several_tasks": len([a for a in assignments if a.status != "cancelled"]) > 1,
    }
