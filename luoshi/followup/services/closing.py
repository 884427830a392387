"""申请办结 → 核查 → 呈报 → 销号 or 续办 → 归档, and the year-end review of long-term
matters. A matter's state follows its tasks (``workflow.follow_tasks``): it waits for
verification when every task has asked to complete, and is verified when every task is
completed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luoshi.core.errors import ServiceError, StaleObject
from luoshi.followup import evidence
from luoshi.followup.models import CompletionRequest, DeadlineChange
from luoshi.followup.services.common import (
    clean_text,
    extend_matter_deadline,
    require_lead,
    require_leader,
    require_open,
)
from luoshi.followup.states import (
    COMPLETION_TRANSITIONS,
    OPEN_EXTENSION_STATES,
    CompletionStatus,
    DeadlineCause,
)
from luoshi.ledger import cycles, lights, workflow
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.rules import require_workday
from luoshi.ledger.services import require_office
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M
from luoshi.ledger.states import check_transition

C = CompletionStatus


@transaction.atomic
def request_completion(actor: Any, assignment: Assignment, result: str,
                       files: list[Any] | None = None) -> CompletionRequest:  # fmt: skip
    assignment.refresh_from_db()
    require_open(assignment.matter)
    require_lead(actor, assignment)
    if assignment.status != A.IN_PROGRESS:
        raise ServiceError(f"任务{A(assignment.status).label}，不能申请办结。")
    if assignment.extensions.filter(status__in=OPEN_EXTENSION_STATES).exists():
        raise ServiceError("该任务还有待审批的延期申请，请先撤回后再申请办结。")
    result = clean_text(result, "办理结果", "result", 10)
    files = list(files or [])
    evidence.check_files(files)
    now = timezone.now()
    req = CompletionRequest.objects.create(
        assignment=assignment, status=C.PENDING, result=result, requested_by=actor,
        requested_at=now,
    )  # fmt: skip
    evidence.save_files(files, assignment, actor, completion=req)
    workflow.transition_assignment(
        assignment, A.PENDING_VERIFICATION, actor, "request_completion", result[:500],
        completion_requested_at=now,
    )  # fmt: skip
    workflow.follow_tasks(actor, assignment.matter)
    lights.refresh_matter(assignment.matter)
    return req


def pending_completion(assignment: Assignment) -> CompletionRequest:
    req = assignment.completions.filter(status=C.PENDING).first()
    if req is None:
        raise ServiceError("该任务没有待核查的办结申请。")
    return req


@transaction.atomic
def verify(
    actor: Any,
    assignment: Assignment,
    *,
    accept: bool,
    comment: str = "",
    onsite_on: date | None = None,
    onsite_by: str = "",
    onsite_findings: str = "",
) -> CompletionRequest:
    """核查: accept the completion, or return it for more work with a reason; an on-site
    check, when there was one, is recorded with its findings."""
    assignment.refresh_from_db()
    matter = assignment.matter
    matter.refresh_from_db()
    require_open(matter)
    require_office(actor, matter)
    req = pending_completion(assignment)
    comment = (comment or "").strip()
    if not accept:
        comment = clean_text(comment, "退回理由", "comment", 5)
    onsite_findings = (onsite_findings or "").strip()
    if onsite_on or onsite_findings or (onsite_by or "").strip():
        if not (onsite_on and onsite_findings):
            raise ServiceError(
                "记录实地核查须同时填写核查日期和核查情况。", field="onsite_findings"
            )
        if onsite_on > timezone.localdate():
            raise ServiceError("实地核查日期不能晚于今天。", field="onsite_on")
    target = C.ACCEPTED if accept else C.RETURNED
    check_transition(COMPLETION_TRANSITIONS, CompletionStatus, req.status, target)
    now = timezone.now()
    workflow.claim(req, target, {
        "verified_by": actor, "verified_at": now, "verify_comment": comment,
        "onsite_on": onsite_on, "onsite_by": (onsite_by or "").strip()[:200],
        "onsite_findings": onsite_findings,
    })  # fmt: skip
    if onsite_on:
        workflow.record(matter, actor, "onsite_check", assignment=assignment,
                        comment=onsite_findings, changes={"on": str(onsite_on),
                                                          "by": req.onsite_by})  # fmt: skip
    if accept:
        workflow.transition_assignment(assignment, A.COMPLETED, actor, "verify", comment,
                                       completed_at=now)  # fmt: skip
    else:
        today = timezone.localdate()
        workflow.transition_assignment(
            assignment, A.IN_PROGRESS, actor, "verify_return", comment,
            completion_requested_at=None,
            next_report_due=cycles.first_report_due(assignment.report_cycle, today,
                                                    assignment.due_date),
        )  # fmt: skip
    workflow.follow_tasks(actor, matter)
    lights.refresh_matter(matter)
    return req


@transaction.atomic
def report_to_leader(actor: Any, matter: Matter, comment: str = "") -> Matter:
    """呈报: the office puts the verified matter before the supervising leader."""
    matter.refresh_from_db()
    require_office(actor, matter)
    if matter.status != M.VERIFIED:
        raise ServiceError("只有核查通过（全部任务已办结）的事项才能呈报领导。")
    note = (comment or "").strip()
    return workflow.transition_matter(
        matter, M.REPORTED, actor, "report_to_leader", note, reported_at=timezone.now()
    )


@transaction.atomic
def close(actor: Any, matter: Matter, comment: str = "") -> Matter:
    """销号: the leader strikes the matter off the ledger."""
    matter.refresh_from_db()
    require_leader(actor, matter)
    if matter.status != M.REPORTED:
        raise ServiceError("只有已呈报的事项才能销号。")
    return workflow.transition_matter(matter, M.CLOSED, actor, "close", (comment or "").strip(),
                                      closed_at=timezone.now())  # fmt: skip


@transaction.atomic
def continue_work(
    actor: Any,
    matter: Matter,
    *,
    requirement: str,
    due_date: date | None,
    assignments: list[Assignment] | None = None,
) -> Matter:
    """续办: the leader orders more work with a new requirement and deadline; the chosen
    tasks (all, by default) go back in progress."""
    matter.refresh_from_db()
    require_leader(actor, matter)
    if matter.status != M.REPORTED:
        raise ServiceError("只有已呈报的事项才能批示续办。")
    requirement = clean_text(requirement, "续办要求", "requirement", 5)
    today = timezone.localdate()
    if due_date is None or due_date <= today:
        raise ServiceError("请填写晚于今天的续办完成时限。", field="due_date")
    require_workday(due_date, "due_date")
    if assignments is not None and not assignments:
        raise ServiceError("请选择要续办的已办结任务。", field="assignments")
    done = list(matter.assignments.filter(status=A.COMPLETED).order_by("id"))
    chosen = done if not assignments else [a for a in done if a.pk in {x.pk for x in assignments}]
    if not chosen or (assignments and len(chosen) != len(assignments)):
        raise ServiceError("请选择要续办的已办结任务。", field="assignments")
    for a in chosen:
        DeadlineChange.objects.create(assignment=a, previous=a.due_date, due_date=due_date,
                                      cause=DeadlineCause.CONTINUE, comment=requirement,
                                      by=actor)  # fmt: skip
        workflow.transition_assignment(
            a, A.IN_PROGRESS, actor, "continue", requirement,
            progress_requirement=requirement, due_date=due_date, completed_at=None,
            completion_requested_at=None,
            next_report_due=cycles.first_report_due(a.report_cycle, today, due_date),
        )  # fmt: skip
    new_due = max(d for d in [matter.due_date, due_date] if d is not None)
    workflow.transition_matter(matter, M.IN_PROGRESS, actor, "continue", requirement,
                               due_date=new_due, reported_at=None)  # fmt: skip
    lights.refresh_matter(matter)
    return matter


@transaction.atomic
def archive(actor: Any, matter: Matter) -> Matter:
    """归档: a closed matter becomes read-only for good."""
    matter.refresh_from_db()
    require_office(actor, matter)
    if matter.status != M.CLOSED:
        raise ServiceError("只有已销号的事项才能归档。")
    return workflow.transition_matter(matter, M.ARCHIVED, actor, "archive",
                                      archived_at=timezone.now())  # fmt: skip


def year_review_due(matter: Matter, today: date) -> bool:
    """Long-term matters are reviewed each December (or in January for the year just past)."""
    if not matter.long_term or matter.status not in {M.ASSIGNED, M.IN_PROGRESS}:
        return False
    year = today.year if today.month == 12 else today.year - 1 if today.month == 1 else None
    return year is not None and (matter.last_reviewed_year or 0) < year


@transaction.atomic
def year_review(actor: Any, matter: Matter, comment: str, next_due: date | None = None) -> Matter:
    """年终评估 of a long-term matter: the office records its review and may carry the
    running tasks' deadlines into the next year."""
    matter.refresh_from_db()
    require_open(matter)
    require_office(actor, matter)
    if not matter.long_term:
        raise ServiceError("只有长期跟踪事项需要年终评估。")
    comment = clean_text(comment, "评估意见", "comment", 10)
    today = timezone.localdate()
    if not year_review_due(matter, today):
        raise ServiceError(
            "年终评估在每年 12 月（或次年 1 月）进行，本年度已评估或尚未到评估时间。"
        )
    year = today.year if today.month != 1 else today.year - 1
    moved = 0
    if next_due is not None:
        if next_due <= today:
            raise ServiceError("顺延的完成时限须晚于今天。", field="next_due")
        for a in matter.assignments.filter(status=A.IN_PROGRESS):
            if a.due_date is None or a.due_date < next_due:
                DeadlineChange.objects.create(assignment=a, previous=a.due_date,
                                              due_date=next_due, cause=DeadlineCause.YEAR_REVIEW,
                                              comment=comment, by=actor)  # fmt: skip
                Assignment.objects.filter(pk=a.pk).update(
                    due_date=next_due, version=F("version") + 1
                )
                moved += 1
        if moved:
            extend_matter_deadline(matter, next_due)
    won = Matter.objects.filter(pk=matter.pk, version=matter.version).update(
        last_reviewed_year=year, version=F("version") + 1
    )
    if won != 1:
        raise StaleObject(workflow.STALE)
    matter.refresh_from_db()
    changes = {"year": year, "next_due": str(next_due or ""), "moved": moved}
    workflow.record(matter, actor, "year_review", comment=comment, changes=changes)
    lights.refresh_matter(matter)
    return matter
