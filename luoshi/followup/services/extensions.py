"""延期申请: asked before the deadline with a written reason of at least 20 characters;
the office decides, then the supervising leader when the office's rules say so. A refusal
keeps the deadline; every deadline a task had is kept in ``DeadlineChange``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luoshi.core.errors import ServiceError, StaleObject
from luoshi.followup.models import DeadlineChange, ExtensionRequest
from luoshi.followup.services.common import (
    clean_text,
    extend_matter_deadline,
    require_lead,
    require_leader,
    require_open,
)
from luoshi.followup.states import (
    EXTENSION_TRANSITIONS,
    OPEN_EXTENSION_STATES,
    DeadlineCause,
    ExtensionStatus,
)
from luoshi.ledger import cycles, lights, workflow
from luoshi.ledger.models import Assignment
from luoshi.ledger.rules import policy_for, require_workday
from luoshi.ledger.services import can_approve, require_office
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import check_transition

X = ExtensionStatus
REASON_MIN = 20


@transaction.atomic
def extension_request(actor: Any, assignment: Assignment, new_due: date | None,
                      reason: str) -> ExtensionRequest:  # fmt: skip
    assignment.refresh_from_db()
    require_open(assignment.matter)
    require_lead(actor, assignment)
    if assignment.status != A.IN_PROGRESS:
        raise ServiceError(f"任务{A(assignment.status).label}，不能申请延期。")
    today = timezone.localdate()
    current = assignment.due_date
    if current is None:
        raise ServiceError("该任务没有完成时限，无需申请延期。")
    if today > current:
        raise ServiceError(
            f"已超过完成时限（{current:%Y年%m月%d日}），不能再申请延期。", field="new_due"
        )
    if new_due is None:
        raise ServiceError("请填写申请延至的日期。", field="new_due")
    if new_due <= current:
        raise ServiceError("申请延至的日期须晚于现在的完成时限。", field="new_due")
    require_workday(new_due, "new_due")
    reason = clean_text(reason, "延期理由", "reason", REASON_MIN)
    if assignment.extensions.filter(status__in=OPEN_EXTENSION_STATES).exists():
        raise ServiceError("该任务已有待审批的延期申请。")
    ext = ExtensionRequest.objects.create(
        assignment=assignment, status=X.PENDING_OFFICE, current_due=current, new_due=new_due,
        reason=reason, requested_by=actor, requested_at=timezone.now(),
    )  # fmt: skip
    _event(ext, actor, "extension_request", "", reason)
    return ext


def _event(ext: ExtensionRequest, actor: Any, action: str, before: str, comment: str = "") -> None:
    a = ext.assignment
    workflow.record(a.matter, actor, action, assignment=a, from_status=before,
                    to_status=ext.status, comment=comment,
                    changes={"extension": ext.pk, "from": str(ext.current_due),
                             "to": str(ext.new_due)})  # fmt: skip


def _move(ext: ExtensionRequest, target: str, **fields: Any) -> None:
    check_transition(EXTENSION_TRANSITIONS, ExtensionStatus, ext.status, target)
    workflow.claim(ext, target, fields)


def _apply(ext: ExtensionRequest, actor: Any) -> None:
    a = ext.assignment
    won = Assignment.objects.filter(pk=a.pk, due_date=ext.current_due).update(
        due_date=ext.new_due, version=F("version") + 1
    )
    if won != 1:
        raise StaleObject("任务的完成时限已被修改，请刷新后重新审批。")
    a.refresh_from_db()
    DeadlineChange.objects.create(
        assignment=a, previous=ext.current_due, due_date=ext.new_due,
        cause=DeadlineCause.EXTENSION, extension=ext, comment=ext.reason, by=actor,
    )  # fmt: skip
    extend_matter_deadline(a.matter, ext.new_due)
    if a.next_report_due is None and a.status == A.IN_PROGRESS:
        nxt = cycles.first_report_due(a.report_cycle, timezone.localdate(), a.due_date)
        Assignment.objects.filter(pk=a.pk).update(next_report_due=nxt)
    lights.refresh_matter(a.matter)


def can_decide(actor: Any, ext: ExtensionRequest) -> bool:
    from luoshi.accounts import access
    from luoshi.ledger.services import OFFICE_ROLES

    matter = ext.assignment.matter
    if ext.status == X.PENDING_OFFICE:
        return access.covers(actor, OFFICE_ROLES, matter.office)
    if ext.status == X.PENDING_LEADER:
        return can_approve(actor, matter)
    return False


@transaction.atomic
def extension_approve(actor: Any, ext: ExtensionRequest, comment: str = "") -> ExtensionRequest:
    """The office's approval passes it to the leader (or grants it, if the office's rules
    do not involve the leader); the leader's approval grants it."""
    matter = ext.assignment.matter
    require_open(matter)
    before = ext.status
    comment = (comment or "").strip()
    now = timezone.now()
    if ext.status == X.PENDING_OFFICE:
        require_office(actor, matter)
        if policy_for(matter.office).extension_leader_approval:
            _move(ext, X.PENDING_LEADER, office_by=actor, office_at=now, office_comment=comment)
            _event(ext, actor, "extension_office_approve", before, comment)
            return ext
        _move(ext, X.APPROVED, office_by=actor, office_at=now, office_comment=comment)
    elif ext.status == X.PENDING_LEADER:
        require_leader(actor, matter)
        _move(ext, X.APPROVED, leader_by=actor, leader_at=now, leader_comment=comment)
    else:
        raise ServiceError(f"该延期申请{X(ext.status).label}，不能再审批。")
    _apply(ext, actor)
    _event(ext, actor, "extension_approve", before, comment)
    return ext


@transaction.atomic
def extension_reject(actor: Any, ext: ExtensionRequest, comment: str) -> ExtensionRequest:
    matter = ext.assignment.matter
    require_open(matter)
    comment = clean_text(comment, "不同意延期的理由", "comment", 5)
    before = ext.status
    now = timezone.now()
    if ext.status == X.PENDING_OFFICE:
        require_office(actor, matter)
        _move(ext, X.REJECTED, office_by=actor, office_at=now, office_comment=comment)
    elif ext.status == X.PENDING_LEADER:
        require_leader(actor, matter)
        _move(ext, X.REJECTED, leader_by=actor, leader_at=now, leader_comment=comment)
    else:
        raise ServiceError(f"该延期申请{X(ext.status).label}，不能再审批。")
    _event(ext, actor, "extension_reject", before, comment)
    return ext


@transaction.atomic
def extension_withdraw(actor: Any, ext: ExtensionRequest) -> ExtensionRequest:
    require_open(ext.assignment.matter)
    require_lead(actor, ext.assignment)
    if ext.status not in OPEN_EXTENSION_STATES:
        raise ServiceError("只能撤回尚未审批完毕的延期申请。")
    before = ext.status
    _move(ext, X.WITHDRAWN)
    _event(ext, actor, "extension_withdraw", before)
    return ext


def deadline_for_scoring(assignment: Assignment) -> date | None:
    """Timeliness is judged against the deadline as approved: the original one unless an
    extension or 续办 moved it (a refused extension never does)."""
    return assignment.due_date
