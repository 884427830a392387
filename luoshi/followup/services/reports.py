"""办理情况反馈: the lead unit reports each cycle (co-units send it their parts), the unit
head approves when the office asks for it, the office accepts or returns; every
submitted version is kept."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luoshi.accounts import access
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.followup import evidence
from luoshi.followup.models import ProgressReport, ReportRevision
from luoshi.followup.services.common import (
    clean_text,
    is_head,
    is_lead,
    require_lead,
    require_open,
)
from luoshi.followup.states import REPORT_TRANSITIONS, ReportStatus
from luoshi.ledger import cycles, lights, workflow
from luoshi.ledger.models import Assignment, CoUnit, Milestone
from luoshi.ledger.rules import policy_for
from luoshi.ledger.services import UNIT_ROLES, require_office
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import check_transition

R = ReportStatus
OPEN_LEAD = (R.PENDING_HEAD, R.PENDING_REVIEW, R.RETURNED)


def _clean(data: dict[str, Any], assignment: Assignment) -> dict[str, Any]:
    text = clean_text(data.get("text"), "办理情况", "text", 10)
    try:
        progress = int(str(data.get("progress", "")).strip() or -1)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 100:
        raise ServiceError("完成进度须为 0 到 100 之间的整数。", field="progress")
    raw = data.get("indicator_value")
    value = None
    if raw not in (None, ""):
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise ServiceError("指标完成值须为数字。", field="indicator_value") from None
        if not value.is_finite() or abs(value) >= Decimal("1e12"):
            raise ServiceError("指标完成值超出范围。", field="indicator_value")
    ids = [int(m.pk if isinstance(m, Milestone) else m) for m in data.get("milestones") or []]
    milestones = list(assignment.milestones.filter(pk__in=ids))
    if len(milestones) != len(set(ids)):
        raise ServiceError("所选节点不属于该任务。", field="milestones")
    files = list(data.get("files") or [])
    evidence.check_files(files)
    return {"text": text, "progress": progress, "indicator_value": value,
            "milestones": milestones, "files": files}  # fmt: skip


def _my_co_unit(actor: Any, assignment: Assignment) -> CoUnit | None:
    for co in assignment.co_units.select_related("unit"):
        if access.covers(actor, UNIT_ROLES, co.unit):
            return co
    return None


def _first_status(actor: Any, assignment: Assignment) -> str:
    """Straight to the office when the office does not ask for the head's approval, or when
    the head reports himself."""
    policy = policy_for(assignment.matter.office)
    lead_unit = assignment.lead_unit
    if not policy.report_head_approval or (lead_unit is not None and is_head(actor, lead_unit)):
        return R.PENDING_REVIEW
    return R.PENDING_HEAD


def _add_revision(report: ProgressReport, actor: Any, data: dict[str, Any]) -> ReportRevision:
    rev = ReportRevision.objects.create(
        report=report, number=report.revision, text=data["text"], progress=data["progress"],
        indicator_value=data["indicator_value"], submitted_by=actor,
        submitted_at=timezone.now(),
    )  # fmt: skip
    rev.milestones.set(data["milestones"])
    evidence.save_files(data["files"], report.assignment, actor, revision=rev)
    return rev


@transaction.atomic
def report_submit(actor: Any, assignment: Assignment, **data: Any) -> ProgressReport:
    """A new report for the current period (the lead unit), or a co-unit's part."""
    assignment.refresh_from_db()
    require_open(assignment.matter)
    if assignment.status != A.IN_PROGRESS:
        raise ServiceError(f"任务{A(assignment.status).label}，不能报送办理情况。")
    lead = is_lead(actor, assignment)
    co = None if lead else _my_co_unit(actor, assignment)
    if not lead and co is None:
        raise NotPermitted("只有牵头单位或配合单位可以报送办理情况。")
    if co is not None and co.signed_at is None:
        raise ServiceError("请先签收配合任务，再报送材料。")
    unit = assignment.lead_unit if lead else co.unit  # type: ignore[union-attr]
    assert unit is not None  # a lead unit is required before 交办
    mine = ProgressReport.objects.filter(assignment=assignment, unit=unit)
    if mine.filter(status__in=[*OPEN_LEAD, R.PENDING_LEAD]).exists():
        raise ServiceError("上一份反馈尚未处理完毕（待审核或被退回），请修改后重新报送。")
    cleaned = _clean(data, assignment)
    now = timezone.now()
    today = timezone.localdate()
    period = assignment.next_report_due if lead else None
    report = ProgressReport.objects.create(
        assignment=assignment, unit=unit, kind=ProgressReport.LEAD if lead else ProgressReport.CO,
        period_due=period, status=_first_status(actor, assignment) if lead else R.PENDING_LEAD,
        text=cleaned["text"], progress=cleaned["progress"],
        indicator_value=cleaned["indicator_value"], late=bool(period and today > period),
        created_by=actor, submitted_at=now,
    )  # fmt: skip
    _add_revision(report, actor, cleaned)
    if lead:
        parts = ProgressReport.objects.filter(
            assignment=assignment, kind=ProgressReport.CO, status=R.PENDING_LEAD
        )
        parts.update(status=R.CONSOLIDATED, consolidated_into=report, version=F("version") + 1)
        nxt = cycles.report_due_after(
            assignment.report_cycle, period or today, today, assignment.due_date
        )
        Assignment.objects.filter(pk=assignment.pk).update(next_report_due=nxt)
    workflow.record(
        assignment.matter, actor, "report_submit" if lead else "co_report_submit",
        assignment=assignment, to_status=report.status,
        changes={"report": report.pk, "revision": 1, "progress": report.progress,
                 "unit": unit.name, "late": report.late},
    )  # fmt: skip
    lights.refresh_matter(assignment.matter)
    return report


def _move(report: ProgressReport, target: str, **fields: Any) -> None:
    check_transition(REPORT_TRANSITIONS, ReportStatus, report.status, target)
    workflow.claim(report, target, fields)


def _event(report: ProgressReport, actor: Any, action: str, from_status: str,
           comment: str = "") -> None:  # fmt: skip
    a = report.assignment
    workflow.record(a.matter, actor, action, assignment=a, from_status=from_status,
                    to_status=report.status, comment=comment,
                    changes={"report": report.pk, "revision": report.revision})  # fmt: skip


def _decide_revision(report: ProgressReport, actor: Any, outcome: str, comment: str) -> None:
    ReportRevision.objects.filter(report=report, number=report.revision).update(
        outcome=outcome, comment=comment, decided_by=actor, decided_at=timezone.now()
    )


@transaction.atomic
def report_resubmit(actor: Any, report: ProgressReport, **data: Any) -> ProgressReport:
    """Correct a returned report: a new revision, the earlier ones stay as they were."""
    a = report.assignment
    require_open(a.matter)
    if report.status != R.RETURNED:
        raise ServiceError("只有被退回的反馈可以修改后重新报送。")
    if a.status != A.IN_PROGRESS:
        raise ServiceError(f"任务{A(a.status).label}，不能再报送办理情况。")
    if not access.covers(actor, UNIT_ROLES, report.unit):
        raise NotPermitted("只有报送单位可以修改该反馈。")
    cleaned = _clean(data, a)
    before = report.status
    target: str = R.PENDING_LEAD if report.kind == ProgressReport.CO else _first_status(actor, a)
    _move(report, target, revision=F("revision") + 1, text=cleaned["text"],
          progress=cleaned["progress"], indicator_value=cleaned["indicator_value"])  # fmt: skip
    _add_revision(report, actor, cleaned)
    _event(report, actor, "report_submit" if report.kind == ProgressReport.LEAD
           else "co_report_submit", before)  # fmt: skip
    return report


@transaction.atomic
def report_head_approve(actor: Any, report: ProgressReport, comment: str = "") -> ProgressReport:
    require_open(report.assignment.matter)
    if report.kind != ProgressReport.LEAD or not is_head(actor, report.unit):
        raise NotPermitted("只有牵头单位负责人可以审核本单位的反馈。")
    if report.status != R.PENDING_HEAD:
        raise ServiceError(f"该反馈{R(report.status).label}，不需要单位负责人审核。")
    before = report.status
    _move(report, R.PENDING_REVIEW)
    _event(report, actor, "report_head_approve", before, comment.strip())
    return report


@transaction.atomic
def report_return(actor: Any, report: ProgressReport, comment: str) -> ProgressReport:
    """Send a report back with a required comment: the office (pending review), the unit
    head (pending his approval) or the lead unit (a co-unit's part)."""
    a = report.assignment
    require_open(a.matter)
    comment = clean_text(comment, "退回意见", "comment", 5)
    before = report.status
    if report.status == R.PENDING_REVIEW:
        require_office(actor, a.matter)
        action = "report_return"
    elif report.status == R.PENDING_HEAD:
        if not is_head(actor, report.unit):
            raise NotPermitted("只有牵头单位负责人可以退回本单位的反馈。")
        action = "report_head_return"
    elif report.status == R.PENDING_LEAD:
        require_lead(actor, a)
        action = "co_report_return"
    else:
        raise ServiceError(f"该反馈{R(report.status).label}，不能退回。")
    _move(report, R.RETURNED)
    _decide_revision(report, actor, "returned", comment)
    _event(report, actor, action, before, comment)
    return report


@transaction.atomic
def report_accept(actor: Any, report: ProgressReport, comment: str = "") -> ProgressReport:
    """The office accepts: the milestones the report claims are marked reached."""
    a = report.assignment
    require_open(a.matter)
    require_office(actor, a.matter)
    if report.status != R.PENDING_REVIEW:
        raise ServiceError(f"该反馈{R(report.status).label}，不能采纳。")
    before = report.status
    now = timezone.now()
    _move(report, R.ACCEPTED, accepted_at=now)
    _decide_revision(report, actor, "accepted", comment.strip())
    rev = report.revisions.get(number=report.revision)
    rev.milestones.filter(reached_at__isnull=True).update(reached_at=now)
    _event(report, actor, "report_accept", before, comment.strip())
    return report
