"""The one transition function: check the state table, claim the row, write the event."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model

from luoshi.core.errors import StaleObject
from luoshi.ledger.models import Assignment, Matter, MatterEvent
from luoshi.ledger.states import (
    ASSIGNMENT_TRANSITIONS,
    MATTER_TRANSITIONS,
    AssignmentStatus,
    MatterStatus,
    check_transition,
)

STALE = "该事项已被他人修改或处理，请刷新页面后重试。"


def record(
    matter: Matter,
    actor: Any,
    action: str,
    *,
    assignment: Assignment | None = None,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    changes: dict[str, Any] | None = None,
) -> MatterEvent:
    return MatterEvent.objects.create(
        matter=matter,
        assignment=assignment,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        changes=changes or {},
    )


def claim(obj: Model, target: str, fields: dict[str, Any]) -> None:
    """Move ``obj`` to ``target`` only if nobody changed it since it was read."""
    model = type(obj)
    won = model._default_manager.filter(
        pk=obj.pk,
        status=obj.status,  # type: ignore[attr-defined]
        version=obj.version,  # type: ignore[attr-defined]
    ).update(status=target, version=F("version") + 1, **fields)
    if won != 1:
        raise StaleObject(STALE)
    obj.refresh_from_db()


def transition_matter(
    matter: Matter, target: str, actor: Any, action: str, comment: str = "", **fields: Any
) -> Matter:
    current = matter.status
    check_transition(MATTER_TRANSITIONS, MatterStatus, current, target)
    claim(matter, target, fields)
    record(matter, actor, action, from_status=current, to_status=target, comment=comment,
           changes=_jsonable(fields))  # fmt: skip
    return matter


def transition_assignment(
    assignment: Assignment, target: str, actor: Any, action: str, comment: str = "", **fields: Any
) -> Assignment:
    current = assignment.status
    check_transition(ASSIGNMENT_TRANSITIONS, AssignmentStatus, current, target)
    claim(assignment, target, fields)
    record(assignment.matter, actor, action, assignment=assignment, from_status=current,
           to_status=target, comment=comment, changes=_jsonable(fields))  # fmt: skip
    return assignment


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, Model):
            out[key] = {"id": value.pk, "label": str(value)}
        elif value is None or isinstance(value, bool | int | float | str):
            out[key] = value
        else:
            out[key] = str(value)
    return out


FOLLOWING = frozenset({MatterStatus.IN_PROGRESS, MatterStatus.PENDING_VERIFICATION,
                       MatterStatus.VERIFIED})  # fmt: skip


def follow_tasks(actor: Any, matter: Matter) -> Matter:
    """Move the matter to the state its live tasks add up to: in progress once every task is
    signed for, waiting for verification when every task has asked to complete, verified
    when every task is completed."""
    A, M = AssignmentStatus, MatterStatus
    matter.refresh_from_db()
    states = set(
        matter.assignments.exclude(status__in=[A.CANCELLED, A.DRAFT]).values_list(
            "status", flat=True
        )
    )
    if not states:
        return matter
    if matter.status == M.ASSIGNED:
        if not states & {A.PENDING_SIGN, A.RETURNED}:
            transition_matter(matter, M.IN_PROGRESS, actor, "all_signed")
        return matter
    if matter.status not in FOLLOWING:
        return matter
    if states == {A.COMPLETED}:
        target, action = M.VERIFIED, "all_completed"
    elif states <= {A.PENDING_VERIFICATION, A.COMPLETED}:
        target, action = M.PENDING_VERIFICATION, "follow"
    else:
        target, action = M.IN_PROGRESS, "follow"
    if target != matter.status:
        transition_matter(matter, target, actor, action)
    return matter
