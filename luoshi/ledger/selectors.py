"""Who sees what: one scoped base queryset per model; anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from luoshi.accounts import access
from luoshi.accounts.roles import UNIT_ROLES, Role
from luoshi.ledger.models import Assignment, Matter

OVERSIGHT = {Role.OFFICE_ADMIN, Role.INSPECTOR, Role.OBSERVER, Role.LEADER}


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


def my_work(user: Any, limit: int = 50) -> dict[str, Any]:
    """The lists on each role's 我的待办: what waits for this user now, at most ``limit`` rows
    per list (each list knows its full count). Built in ``luoshi.workbench.todo``, which
    the 工作台 shares."""
    from luoshi.workbench.todo import work_lists

    return work_lists(user, limit=limit)
