"""The matter page's one timeline (and its 挂图作战 chart, ``gantt``).

The timeline follows the matter's event log (its order is the order things happened, also
under a frozen clock) and puts in place of the bare events the records they created:
each report version with its content, outcome, comment and evidence, each extension
request, each completion request with its evidence. Units see only the tasks they may
see, and a co-unit only its own report parts. A fixed number of queries, whatever the
history's length: the order is worked out from ids and times (``_plan``), and only the
records of the entries shown are read (``_entries``); the page shows the latest
``RECENT``, the whole history on request."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from luoshi.accounts import access
from luoshi.followup.gantt import chart
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
from luoshi.org.models import Unit

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


@dataclass
class _Row:
    """One entry's place in the timeline, worked out from ids and times alone; the
    records it shows are read only for the rows on the page."""

    at: datetime
    late: int  # 0: from the event log; 1: a record without its event, after those
    pk: int
    kind: str  # as Entry.kind
    ref: int  # the event's, revision's, extension's or completion request's id
    task: int | None  # the assignment the entry speaks for


@dataclass
class _Plan:
    rows: list[_Row]
    everything: set[int]  # tasks whose every report and file this user reads


def _plan(user: Any, matter: Matter, assignments: list[Assignment]) -> _Plan:
    full = sees_whole_matter(user, matter)
    tasks = [a.pk for a in assignments]
    events = MatterEvent.objects.filter(matter=matter)
    if not full:
        events = events.filter(Q(assignment__in=tasks) | Q(assignment__isnull=True))
    revisions = list(
        ReportRevision.objects.filter(report__assignment__in=tasks)
        .order_by("submitted_at", "id")
        .values_list("pk", "report_id", "number", "submitted_at", "report__assignment_id",
                     "report__unit_id")
    )  # fmt: skip
    # Tasks whose every report and file this user reads: oversight's, the lead unit's.
    everything = {
        a.pk
        for a in assignments
        if full or (a.lead_unit is not None and access.covers(user, UNIT_ROLES, a.lead_unit))
    }
    # A co-unit reads only its own report parts (as ``followup.selectors.reports_for``).
    units = Unit.objects.in_bulk({r[5] for r in revisions if r[4] not in everything})
    readable = {
        report for _pk, report, _n, _at, task, unit in revisions
        if task in everything or access.covers(user, UNIT_ROLES, units[unit])
    }  # fmt: skip
    by_revision = {(r[1], r[2]): r for r in revisions if r[1] in readable}
    extensions = {
        pk: (at, task)
        for pk, at, task in ExtensionRequest.objects.filter(assignment__in=tasks)
        .order_by("pk")
        .values_list("pk", "requested_at", "assignment_id")
    }
    completions: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for pk, at, task in (
        CompletionRequest.objects.filter(assignment__in=tasks)
        .order_by("requested_at", "id")
        .values_list("pk", "requested_at", "assignment_id")
    ):
        completions[task].append((pk, at))
    used_revisions: set[tuple[Any, Any]] = set()
    used_extensions: set[int] = set()
    rows: list[_Row] = []
    for pk, at, action, task, changes in events.order_by("at", "id").values_list(
        "pk", "at", "action", "assignment_id", "changes"
    ):
        changes = changes or {}
        report = changes.get("report")
        if action in REPORT_SUBMITS | REPORT_DECISIONS and report not in readable:
            continue
        kind, ref = "event", pk
        if action in REPORT_SUBMITS:
            key = (report, changes.get("revision"))
            if key in by_revision:
                kind, ref = "revision", by_revision[key][0]
                used_revisions.add(key)
        elif action == "extension_request" and changes.get("extension") in extensions:
            kind, ref = "extension", changes["extension"]
            used_extensions.add(ref)
        elif action == "request_completion" and completions.get(task or 0):
            # Each 申请办结 wrote one request and one event: the k-th of each go together.
            kind, ref = "completion", completions[task or 0].pop(0)[0]
        rows.append(_Row(at, 0, pk, kind, ref, task or None))
    # Records without their event (made outside the services) still show, at their time.
    for key, (pk, _report, _n, at, task, _unit) in by_revision.items():
        if key not in used_revisions:
            rows.append(_Row(at, 1, pk, "revision", pk, task))
    for pk, (at, task) in extensions.items():
        if pk not in used_extensions:
            rows.append(_Row(at, 1, pk, "extension", pk, task))
    for task, left in completions.items():
        for pk, at in left:
            rows.append(_Row(at, 1, pk, "completion", pk, task))
    rows.sort(key=lambda row: (row.at, row.late, row.pk))
    return _Plan(rows, everything)


def _entries(plan: _Plan, rows: list[_Row], assignments: list[Assignment]) -> list[Entry]:
    """The entries of ``rows``, reading only their records (a fixed number of queries)."""
    tasks = {a.pk: a for a in assignments}
    wanted: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        wanted[row.kind].append(row.ref)
    events = MatterEvent.objects.filter(pk__in=wanted["event"]).select_related(
        "actor", "assignment__lead_unit"
    )
    revisions = (
        ReportRevision.objects.filter(pk__in=wanted["revision"])
        .select_related("report__unit", "submitted_by", "decided_by")
        .prefetch_related("milestones", "attachments")
    )
    extensions = ExtensionRequest.objects.filter(pk__in=wanted["extension"]).select_related(
        "requested_by"
    )
    completions = (
        CompletionRequest.objects.filter(pk__in=wanted["completion"])
        .select_related("requested_by", "verified_by")
        .prefetch_related("attachments")
    )
    records: dict[str, dict[int, Any]] = {
        kind: {r.pk: r for r in qs} if wanted[kind] else {}
        for kind, qs in (("event", events), ("revision", revisions),
                         ("extension", extensions), ("completion", completions))
    }  # fmt: skip
    out = []
    for row in rows:
        record = records[row.kind][row.ref]
        a = tasks.get(row.task) if row.task else None
        if row.kind == "revision":
            out.append(_revision_entry(record, a, row.at))
        elif row.kind == "extension":
            out.append(_extension_entry(record, a, row.at))
        elif row.kind == "completion":
            with_files = record.assignment_id in plan.everything
            out.append(_completion_entry(record, a, row.at, with_files))
        else:
            out.append(_event_entry(record))
    return out


def entries(user: Any, matter: Matter, assignments: list[Assignment]) -> list[Entry]:
    plan = _plan(user, matter, assignments)
    return _entries(plan, plan.rows, assignments)


# The matter page shows the latest entries of a long history, the rest one link away: a
# matter followed for years gathers thousands, and the page must stay instant.
RECENT = 50


def context(
    user: Any, matter: Matter, assignments: list[Assignment], *, whole: bool = False
) -> dict[str, Any]:
    today: date = timezone.localdate()
    plan = _plan(user, matter, assignments)
    shown = plan.rows if whole else plan.rows[-RECENT:]
    return {
        "timeline": _entries(plan, shown, assignments),
        "timeline_total": len(plan.rows),
        "timeline_hidden": len(plan.rows) - len(shown),
        "gantt": chart(assignments, today),
        "several_tasks": len([a for a in assignments if a.status != "cancelled"]) > 1,
    }
