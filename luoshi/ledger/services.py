"""The only code that writes matters and assignments; each function is one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import OFFICE_ROLES, UNIT_ROLES, Role
from luoshi.core.errors import NotPermitted, ServiceError, StaleObject
from luoshi.ledger import cycles, lights, workflow
from luoshi.ledger.models import (
    Assignment,
    Category,
    CoUnit,
    Matter,
    Milestone,
    NumberSequence,
    Priority,
    ReportCycle,
    Source,
)
from luoshi.ledger.rules import matter_due_date, policy_for, workdays_after
from luoshi.ledger.states import MATTER_TRANSITIONS, check_transition
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M
from luoshi.org.models import Unit

EDITABLE = {M.DRAFT, M.PENDING_APPROVAL, M.APPROVED}
MATTER_FIELDS = (
    "title", "content", "source", "category", "priority", "supervising_leader",
    "meeting_name", "meeting_date", "instructing_leader", "instruction_text", "received_on",
    "result_required", "doc_number", "doc_issuer", "stated_deadline", "long_term", "tags",
)  # fmt: skip


def require_office(actor: Any, matter_or_office: Matter | Unit) -> None:
    office = matter_or_office.office if isinstance(matter_or_office, Matter) else matter_or_office
    access.require(actor, OFFICE_ROLES, office)


def _clean_matter(data: dict[str, Any]) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    if not title:
        raise ServiceError("请填写事项名称。", field="title")
    if len(title) > 200:
        raise ServiceError("事项名称不能超过 200 个字。", field="title")
    if not (data.get("content") or "").strip():
        raise ServiceError("请填写内容及要求。", field="content")
    if data.get("source") not in Source.values:
        raise ServiceError("请选择事项来源。", field="source")
    if data.get("category") not in Category.values:
        raise ServiceError("请选择督查类别。", field="category")
    if data.get("priority", Priority.NORMAL) not in Priority.values:
        raise ServiceError("重要程度无效。", field="priority")
    source = data["source"]
    required = {
        Source.MEETING: [("meeting_name", "会议名称"), ("meeting_date", "会议日期")],
        Source.INSTRUCTION: [
            ("instructing_leader", "批示领导"),
            ("instruction_text", "批示内容"),
            ("received_on", "收到日期"),
        ],
        Source.DOCUMENT: [("doc_number", "文号"), ("doc_issuer", "发文机关")],
    }.get(source, [])
    for field, label in required:
        if not data.get(field):
            raise ServiceError(f"来源为“{Source(source).label}”时须填写{label}。", field=field)
    leader = data.get("supervising_leader")
    if leader is not None and not access.has_role(leader, {Role.LEADER}):
        raise ServiceError("分管领导须为具有领导角色的账户。", field="supervising_leader")
    tags = data.get("tags") or []
    data["tags"] = [str(t).strip()[:20] for t in tags if str(t).strip()][:10]
    data["title"] = title
    return data


@transaction.atomic
def matter_create(actor: Any, *, office: Unit, year: int | None = None, **data: Any) -> Matter:
    """A draft matter of ``year`` (this year unless given: an imported 责任分解表 names its
    own year)."""
    require_office(actor, office)
    fields = _clean_matter({k: v for k, v in data.items() if k in MATTER_FIELDS})
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ServiceError("年度应在 2000 至 2100 之间。", field="year")
    matter = Matter.objects.create(office=office, year=year, created_by=actor, **fields)
    workflow.record(matter, actor, "create", to_status=M.DRAFT, changes={"title": matter.title})
    return matter


@transaction.atomic
def matter_update(actor: Any, matter: Matter, version: int, **data: Any) -> Matter:
    """Edit while not yet assigned; refused when someone saved it since ``version`` was read."""
    require_office(actor, matter)
    if matter.status not in EDITABLE:
        raise ServiceError(f"事项已{M(matter.status).label}，不能再修改基本信息。")
    current = {f: getattr(matter, f) for f in MATTER_FIELDS}
    merged = _clean_matter({**current, **{k: v for k, v in data.items() if k in MATTER_FIELDS}})
    changed = {f: v for f, v in merged.items() if v != current[f]}
    if not changed:
        return matter
    won = Matter.objects.filter(pk=matter.pk, version=version).update(
        version=F("version") + 1, **changed
    )
    if won != 1:
        raise StaleObject(workflow.STALE)
    before = {f: current[f] for f in changed}
    matter.refresh_from_db()
    workflow.record(matter, actor, "update", changes={
        "before": workflow._jsonable(before), "after": workflow._jsonable(changed)
    })  # fmt: skip
    return matter


@transaction.atomic
def matter_submit(actor: Any, matter: Matter) -> Matter:
    require_office(actor, matter)
    if not matter.assignments.exclude(status=A.CANCELLED).exists():
        raise ServiceError("请至少分解一项承办任务后再提交审批。")
    return workflow.transition_matter(matter, M.PENDING_APPROVAL, actor, "submit")


def can_approve(actor: Any, matter: Matter) -> bool:
    """The supervising leader, or a leader over the office, approves."""
    return matter.supervising_leader_id == getattr(actor, "pk", None) or access.covers(
        actor, {Role.LEADER}, matter.office
    )


def _require_approver(actor: Any, matter: Matter) -> None:
    if not can_approve(actor, matter):
        raise NotPermitted("只有分管领导或主要领导可以审批。")


@transaction.atomic
def matter_approve(actor: Any, matter: Matter, comment: str = "") -> Matter:
    """立项: number the matter, fix its deadline and the 交办 deadline."""
    _require_approver(actor, matter)
    policy = policy_for(matter.office)
    today = timezone.localdate()
    due = matter_due_date(matter, policy, today)
    number = matter.number or next_number(
        matter.office, "matter", matter.year, policy.number_pattern
    )
    return workflow.transition_matter(
        matter, M.APPROVED, actor, "approve", comment,
        number=number, due_date=due, approved_at=timezone.now(),
        assign_due=workdays_after(today, policy.assign_workdays),
    )  # fmt: skip


@transaction.atomic
def matter_reject(actor: Any, matter: Matter, comment: str) -> Matter:
    _require_approver(actor, matter)
    if len((comment or "").strip()) < 2:
        raise ServiceError("退回修改须写明意见。", field="comment")
    return workflow.transition_matter(matter, M.DRAFT, actor, "reject", comment.strip())


def _sign_due(matter: Matter) -> date:
    """Today plus the office's sign limit: when a unit must sign for a task sent to it now."""
    policy = policy_for(matter.office)
    return workdays_after(timezone.localdate(), policy.sign_workdays)


def next_number(office: Unit, kind: str, year: int, pattern: str) -> str:
    """The next number of ``kind`` for the office and year, formatted by ``pattern``
    (``{year}``, ``{seq}``); called inside the caller's transaction."""
    seq, _ = NumberSequence.objects.select_for_update().get_or_create(
        office=office, kind=kind, year=year
    )
    NumberSequence.objects.filter(pk=seq.pk).update(last=F("last") + 1)
    seq.refresh_from_db()
    try:
        return pattern.format(year=year, seq=seq.last)
    except (KeyError, ValueError, IndexError):
        raise ServiceError("编号格式无效，请在台账规则中修改。") from None


ASSIGNMENT_FIELDS = (
    "task", "lead_unit", "responsible_leader", "responsible_person", "responsible_phone",
    "due_date", "due_override_reason", "indicator_name", "indicator_target", "indicator_unit",
    "progress_requirement", "report_cycle",
)  # fmt: skip


@transaction.atomic
def assignment_add(
    actor: Any,
    matter: Matter,
    *,
    co_units: list[Unit] | None = None,
    milestones: list[tuple[date, str]] | None = None,
    **data: Any,
) -> Assignment:
    require_office(actor, matter)
    if matter.status not in EDITABLE:
        raise ServiceError("事项交办后不能再分解任务，可使用延伸督查增加责任单位。")
    fields = {k: v for k, v in data.items() if k in ASSIGNMENT_FIELDS}
    if fields.get("report_cycle", ReportCycle.MONTHLY) not in ReportCycle.values:
        raise ServiceError("反馈周期无效。", field="report_cycle")
    assignment = Assignment.objects.create(matter=matter, **fields)
    for unit in co_units or []:
        if unit == assignment.lead_unit:
            raise ServiceError("配合单位不能与牵头单位相同。", field="co_units")
        CoUnit.objects.get_or_create(assignment=assignment, unit=unit)
    for due, deliverable in milestones or []:
        if assignment.due_date and due > assignment.due_date:
            raise ServiceError(f"节点“{deliverable}”晚于任务完成时限。", field="milestones")
        Milestone.objects.create(assignment=assignment, due_date=due, deliverable=deliverable[:255])
    workflow.record(matter, actor, "assignment_add", assignment=assignment,
                    changes={"task": assignment.task[:100]})  # fmt: skip
    return assignment


@transaction.atomic
def assignment_remove(actor: Any, assignment: Assignment) -> Assignment:
    """Take a task out before 交办; it stays on record as cancelled."""
    require_office(actor, assignment.matter)
    if assignment.matter.status not in EDITABLE or assignment.status != A.DRAFT:
        raise ServiceError("已交办的任务不能删除。")
    return workflow.transition_assignment(assignment, A.CANCELLED, actor, "assignment_remove")


def missing_for_assign(assignment: Assignment) -> list[str]:
    checks = [
        ("任务内容", assignment.task.strip()),
        ("牵头单位", assignment.lead_unit_id),
        ("责任领导", assignment.responsible_leader.strip()),
        ("责任人", assignment.responsible_person.strip()),
        ("完成时限", assignment.due_date),
        (
            "量化指标或进度要求",
            (assignment.indicator_name.strip() and assignment.indicator_target is not None)
            or assignment.progress_requirement.strip(),
        ),
    ]
    return [label for label, value in checks if not value]


@transaction.atomic
def matter_assign(actor: Any, matter: Matter) -> Matter:
    """交办: every assignment must be complete (四定) before any goes out."""
    require_office(actor, matter)
    check_transition(MATTER_TRANSITIONS, M, matter.status, M.ASSIGNED)
    assignments = list(
        matter.assignments.exclude(status=A.CANCELLED).select_related("lead_unit").order_by("id")
    )
    if not assignments:
        raise ServiceError("该事项还没有承办任务。")
    problems = []
    for i, a in enumerate(assignments, start=1):
        missing = missing_for_assign(a)
        if missing:
            problems.append(f"第 {i} 项任务缺少：{'、'.join(missing)}")
        elif (
            matter.due_date and a.due_date and a.due_date > matter.due_date
            and not a.due_override_reason.strip()
        ):  # fmt: skip
            problems.append(f"第 {i} 项任务的完成时限晚于事项时限，须写明理由")
    if problems:
        raise ServiceError("不能交办：" + "；".join(problems) + "。")
    today = timezone.localdate()
    sign_due = _sign_due(matter)
    for a in assignments:
        workflow.transition_assignment(
            a, A.PENDING_SIGN, actor, "assign", assigned_at=timezone.now(), sign_due=sign_due,
            original_due_date=a.due_date,
        )  # fmt: skip
    on_time = matter.assign_due is None or today <= matter.assign_due
    workflow.transition_matter(
        matter, M.ASSIGNED, actor, "assign", assigned_at=timezone.now(), assigned_on_time=on_time
    )
    lights.refresh_matter(matter)
    return matter


def _require_unit(actor: Any, unit: Unit | None) -> None:
    if unit is None or not access.covers(actor, UNIT_ROLES, unit):
        raise NotPermitted("只有承办单位的联络员或负责人可以签收或退回。")


@transaction.atomic
def assignment_sign(actor: Any, assignment: Assignment) -> Assignment:
    _require_unit(actor, assignment.lead_unit)
    first_due = cycles.first_report_due(
        assignment.report_cycle, timezone.localdate(), assignment.due_date
    )
    workflow.transition_assignment(
        assignment, A.IN_PROGRESS, actor, "sign", signed_at=timezone.now(), signed_by=actor,
        next_report_due=first_due,
    )  # fmt: skip
    workflow.follow_tasks(actor, assignment.matter)
    lights.refresh_matter(assignment.matter)
    return assignment


@transaction.atomic
def assignment_return(actor: Any, assignment: Assignment, reason: str) -> Assignment:
    _require_unit(actor, assignment.lead_unit)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ServiceError("退回须写明理由（至少 5 个字）。", field="reason")
    workflow.transition_assignment(
        assignment, A.RETURNED, actor, "return", reason, return_reason=reason
    )
    lights.refresh_matter(assignment.matter)
    return assignment


@transaction.atomic
def assignment_reassign(
    actor: Any, assignment: Assignment, unit: Unit, comment: str = ""
) -> Assignment:
    """The office gives a returned assignment to another unit, which must sign anew."""
    require_office(actor, assignment.matter)
    if unit.pk == assignment.lead_unit_id:
        raise ServiceError("请选择另一个承办单位，或使用“不同意退回”。", field="unit")
    if not unit.is_active:
        raise ServiceError(f"单位“{unit.name}”已停用。", field="unit")
    workflow.transition_assignment(
        assignment, A.PENDING_SIGN, actor, "reassign", comment,
        lead_unit=unit, sign_due=_sign_due(assignment.matter),
        return_reason="",
    )  # fmt: skip
    lights.refresh_matter(assignment.matter)
    return assignment


@transaction.atomic
def assignment_overrule(actor: Any, assignment: Assignment, comment: str) -> Assignment:
    """The office rejects the return: the same unit must sign."""
    require_office(actor, assignment.matter)
    if len((comment or "").strip()) < 5:
        raise ServiceError("不同意退回须写明理由（至少 5 个字）。", field="comment")
    workflow.transition_assignment(
        assignment, A.PENDING_SIGN, actor, "overrule", comment.strip(),
        sign_due=_sign_due(assignment.matter),
    )  # fmt: skip
    lights.refresh_matter(assignment.matter)
    return assignment


@transaction.atomic
def co_unit_sign(actor: Any, co_unit: CoUnit) -> CoUnit:
    _require_unit(actor, co_unit.unit)
    won = CoUnit.objects.filter(pk=co_unit.pk, signed_at__isnull=True).update(
        signed_at=timezone.now(), signed_by=actor
    )
    if won != 1:
        raise ServiceError("该配合任务已签收。")
    co_unit.refresh_from_db()
    workflow.record(co_unit.assignment.matter, actor, "co_sign", assignment=co_unit.assignment,
                    changes={"unit": co_unit.unit.name})  # fmt: skip
    return co_unit


@transaction.atomic
def assignment_extend(actor: Any, assignment: Assignment, unit: Unit, reason: str) -> CoUnit:
    """延伸督查: add a related unit to a running assignment, with the reason on record."""
    require_office(actor, assignment.matter)
    if assignment.matter.status in {M.CLOSED, M.ARCHIVED, M.CANCELLED, M.DRAFT}:
        raise ServiceError("只能对办理中的事项开展延伸督查。")
    if len((reason or "").strip()) < 5:
        raise ServiceError("延伸督查须写明理由（至少 5 个字）。", field="reason")
    if unit.pk == assignment.lead_unit_id or assignment.co_units.filter(unit=unit).exists():
        raise ServiceError(f"“{unit.name}”已是该任务的责任单位。", field="unit")
    co = CoUnit.objects.create(
        assignment=assignment, unit=unit, extended=True, reason=reason.strip()
    )
    workflow.record(
        assignment.matter, actor, "extend",
        assignment=assignment, comment=reason.strip(), changes={"unit": unit.name},
    )  # fmt: skip
    return co


CANCEL_WITHOUT_LEADER = {M.DRAFT, M.PENDING_APPROVAL}


@transaction.atomic
def matter_cancel(actor: Any, matter: Matter, reason: str) -> Matter:
    """撤销: a matter the leader has not approved yet is withdrawn by the office; after that
    the office asks and the leader decides (a leader may cancel at once, with a reason)."""
    matter.refresh_from_db()
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ServiceError("撤销须写明原因（至少 5 个字）。", field="comment")
    check_transition(MATTER_TRANSITIONS, M, matter.status, M.CANCELLED)
    if can_approve(actor, matter) or matter.status in CANCEL_WITHOUT_LEADER:
        if not can_approve(actor, matter):
            require_office(actor, matter)
        return _do_cancel(actor, matter, reason)
    require_office(actor, matter)
    if matter.cancel_requested_at is not None:
        raise ServiceError("已申请撤销，正在等待领导审批。")
    won = Matter.objects.filter(pk=matter.pk, version=matter.version).update(
        cancel_requested_at=timezone.now(), cancel_requested_by=actor, cancel_reason=reason,
        version=F("version") + 1,
    )  # fmt: skip
    if won != 1:
        raise StaleObject(workflow.STALE)
    matter.refresh_from_db()
    workflow.record(matter, actor, "cancel_request", comment=reason)
    return matter


def _do_cancel(actor: Any, matter: Matter, reason: str) -> Matter:
    from luoshi.followup.services.cleanup import close_open_requests

    close_open_requests(actor, matter, reason)
    for a in matter.assignments.exclude(status__in=[A.CANCELLED, A.COMPLETED]):
        workflow.transition_assignment(a, A.CANCELLED, actor, "cancel", reason)
    workflow.transition_matter(matter, M.CANCELLED, actor, "cancel", reason, cancel_reason=reason)
    lights.refresh_matter(matter)
    return matter


@transaction.atomic
def matter_cancel_approve(actor: Any, matter: Matter, comment: str = "") -> Matter:
    matter.refresh_from_db()
    _require_approver(actor, matter)
    if matter.cancel_requested_at is None:
        raise ServiceError("该事项没有待审批的撤销申请。")
    note = matter.cancel_reason + (f"（领导意见：{comment.strip()}）" if comment.strip() else "")
    return _do_cancel(actor, matter, note)


@transaction.atomic
def matter_cancel_refuse(actor: Any, matter: Matter, comment: str) -> Matter:
    matter.refresh_from_db()
    _require_approver(actor, matter)
    if matter.cancel_requested_at is None:
        raise ServiceError("该事项没有待审批的撤销申请。")
    if len((comment or "").strip()) < 2:
        raise ServiceError("不同意撤销须写明意见。", field="comment")
    Matter.objects.filter(pk=matter.pk).update(
        cancel_requested_at=None, cancel_requested_by=None, cancel_reason="",
        version=F("version") + 1,
    )  # fmt: skip
    matter.refresh_from_db()
    workflow.record(matter, actor, "cancel_refuse", comment=comment.strip())
    return matter


# Each matter action the pages and the API expose: (service, takes a comment).
MATTER_TRANSITIONS_BY_ACTION: dict[str, tuple[Callable[..., Matter], bool]] = {
    "submit": (matter_submit, False),
    "approve": (matter_approve, True),
    "reject": (matter_reject, True),
    "assign": (matter_assign, False),
    "cancel": (matter_cancel, True),
    "cancel_approve": (matter_cancel_approve, True),
    "cancel_refuse": (matter_cancel_refuse, True),
}
