"""Who sees what: one scoped base queryset per model; anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from luoshi.accounts import access
from luoshi.accounts.roles import Role
from luoshi.ledger.models import Assignment, Matter

OVERSIGHT = {Role.OFFICE_ADMIN, Role.INSPECTOR, Role.OBSERVER, Role.LEADER}
UNIT_ROLES = {Role.LIAISON, Role.UNIT_HEAD}


def _unit_assignments_q(user: Any, prefix: str = "") -> Q:
    lead = access.scope_q(user, UNIT_ROLES, f"{prefix}lead_unit__path")
    co = access.scope_q(user, UNIT_ROLES, f"{prefix}co_units__unit__path")
    return lead | co


def matter_queryset_for(user: Any) -> QuerySet[Matter]:
    """Office, observers and leaders: matters of offices in their scope (leaders also those
    they supervise); units: the matters of their assignments (header only, see views)."""
    q = access.scope_q(user, OVERSIGHT, "office__path")
    if access.has_role(user, {Role.LEADER}):
        q |= Q(supervising_leader=user)
    if access.has_role(user, UNIT_ROLES):
        q |= Q(pk__in=Assignment.objects.filter(_unit_assignments_q(user)).values("matter_id"))
    return Matter.objects.filter(q)


def assignment_queryset_for(user: Any) -> QuerySet[Assignment]:
    q = Q(matter__in=Matter.objects.filter(access.scope_q(user, OVERSIGHT, "office__path")))
    if access.has_role(user, {Role.LEADER}):
        q |= Q(matter__supervising_leader=user)
    if access.has_role(user, UNIT_ROLES):
        q |= Q(pk__in=Assignment.objects.filter(_unit_assignments_q(user)).values("pk"))
    return Assignment.objects.filter(q)


def matter_get_for_user(user: Any, pk: int) -> Matter:
    matter = matter_queryset_for(user).filter(pk=pk).first()
    if matter is None:
        raise Http404("事项不存在")
    return matter


def assignment_get_for_user(user: Any, pk: int) -> Assignment:
    assignment = assignment_queryset_for(user).filter(pk=pk).select_related("matter").first()
    if assignment is None:
        raise Http404("任务不存在")
    return assignment


def sees_whole_matter(user: Any, matter: Matter) -> bool:
    """Oversight roles over the office, and the supervising leader, see every assignment."""
    return matter.supervising_leader_id == getattr(user, "pk", None) or access.covers(
        user, OVERSIGHT | {Role.INVITED_INSPECTOR}, matter.office
    )


def visible_assignments(user: Any, matter: Matter) -> list[Assignment]:
    """The matter's assignments this user may see, with what their rows show."""
    qs = (
        matter.assignments.select_related("lead_unit", "signed_by")
        .prefetch_related("co_units__unit", "milestones")
        .order_by("id")
    )
    if not sees_whole_matter(user, matter):
        qs = qs.filter(_unit_assignments_q(user)).distinct()
    return list(qs)


def my_work(user: Any) -> dict[str, Any]:
    """The lists on each role's 我的待办: what waits for this user now."""
    from luoshi.ledger.states import AssignmentStatus as A
    from luoshi.ledger.states import MatterStatus as M

    out: dict[str, Any] = {}
    if access.has_role(user, {Role.OFFICE_ADMIN, Role.INSPECTOR}):
        office_q = access.scope_q(user, {Role.OFFICE_ADMIN, Role.INSPECTOR}, "office__path")
        matters = Matter.objects.filter(office_q)
        out["drafts"] = matters.filter(status=M.DRAFT)
        out["to_assign"] = matters.filter(status=M.APPROVED)
        out["returned"] = Assignment.objects.filter(
            matter__in=matters, status=A.RETURNED
        ).select_related("matter", "lead_unit")
    if access.has_role(user, {Role.LEADER}):
        q = access.scope_q(user, {Role.LEADER}, "office__path") | Q(supervising_leader=user)
        out["to_approve"] = Matter.objects.filter(q, status=M.PENDING_APPROVAL)
    if access.has_role(user, UNIT_ROLES):
        mine = Assignment.objects.filter(access.scope_q(user, UNIT_ROLES, "lead_unit__path"))
        out["to_sign"] = mine.filter(status=A.PENDING_SIGN).select_related("matter", "lead_unit")
        from luoshi.ledger.models import CoUnit

        out["co_to_sign"] = CoUnit.objects.filter(
            access.scope_q(user, UNIT_ROLES, "unit__path"),
            signed_at__isnull=True,
            assignment__status__in=[A.PENDING_SIGN, A.IN_PROGRESS],
        ).select_related("assignment__matter", "unit")
    return out
