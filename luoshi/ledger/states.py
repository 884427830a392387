"""Workflow as data: each stateful model's statuses and the transitions allowed between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_APPROVAL = "pending_approval", _("待审批")
    APPROVED = "approved", _("已立项")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    PENDING_VERIFICATION = "pending_verification", _("申请办结")
    VERIFIED = "verified", _("已核查")
    REPORTED = "reported", _("已呈报")
    CLOSED = "closed", _("已销号")
    ARCHIVED = "archived", _("已归档")
    CANCELLED = "cancelled", _("已撤销")


M = MatterStatus
# Every state a matter can be in, and where it may go next. Cancelling is possible from
# any open state; closed, archived and cancelled matters are finished.
MATTER_TRANSITIONS: dict[str, frozenset[str]] = {
    M.DRAFT: frozenset({M.PENDING_APPROVAL, M.CANCELLED}),
    M.PENDING_APPROVAL: frozenset({M.APPROVED, M.DRAFT, M.CANCELLED}),
    M.APPROVED: frozenset({M.ASSIGNED, M.CANCELLED}),
    M.ASSIGNED: frozenset({M.IN_PROGRESS, M.CANCELLED}),
    # Straight to verified when the last open task is cancelled and the rest are done.
    M.IN_PROGRESS: frozenset({M.PENDING_VERIFICATION, M.VERIFIED, M.CANCELLED}),
    M.PENDING_VERIFICATION: frozenset({M.VERIFIED, M.IN_PROGRESS, M.CANCELLED}),
    M.VERIFIED: frozenset({M.REPORTED, M.IN_PROGRESS, M.CANCELLED}),
    M.REPORTED: frozenset({M.CLOSED, M.IN_PROGRESS, M.CANCELLED}),
    M.CLOSED: frozenset({M.ARCHIVED}),
    M.ARCHIVED: frozenset(),
    M.CANCELLED: frozenset(),
}
OPEN_MATTER_STATES = frozenset(
    s for s in MatterStatus if s not in {M.CLOSED, M.ARCHIVED, M.CANCELLED}
)


class AssignmentStatus(models.TextChoices):
    DRAFT = "draft", _("待交办")
    PENDING_SIGN = "pending_sign", _("待签收")
    RETURNED = "returned", _("被退回")
    IN_PROGRESS = "in_progress", _("办理中")
    PENDING_VERIFICATION = "pending_verification", _("申请办结")
    COMPLETED = "completed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


A = AssignmentStatus
ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    A.DRAFT: frozenset({A.PENDING_SIGN, A.CANCELLED}),
    # Signing moves to in progress; a return waits for the office to reassign or overrule.
    A.PENDING_SIGN: frozenset({A.IN_PROGRESS, A.RETURNED, A.CANCELLED}),
    A.RETURNED: frozenset({A.PENDING_SIGN, A.CANCELLED}),
    A.IN_PROGRESS: frozenset({A.PENDING_VERIFICATION, A.CANCELLED}),
    A.PENDING_VERIFICATION: frozenset({A.COMPLETED, A.IN_PROGRESS, A.CANCELLED}),
    A.COMPLETED: frozenset({A.IN_PROGRESS}),
    A.CANCELLED: frozenset(),
}
# Handed over and not yet finished: what can still be overdue, urged or named.
OPEN_ASSIGNMENT_STATES = frozenset(
    {A.PENDING_SIGN, A.RETURNED, A.IN_PROGRESS, A.PENDING_VERIFICATION}
)


def check_transition(
    table: dict[str, frozenset[str]], labels: type, current: str, target: str
) -> None:
    from luoshi.core.errors import ServiceError

    if target not in table.get(current, frozenset()):
        raise ServiceError(
            f"当前状态为“{labels(current).label}”，不能变为“{labels(target).label}”。",
            field="status",
        )


class Light(models.TextChoices):
    """红黄绿灯: stored on assignments and matters, recomputed on change and nightly."""

    NONE = "", _("—")
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


# Worse lights rank higher; a matter shows the worst light of its assignments.
LIGHT_RANK = {Light.NONE: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}
FINISHED_MATTER_STATES = frozenset({M.CLOSED, M.ARCHIVED, M.CANCELLED})
