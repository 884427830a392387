"""Who sees what: one scoped base queryset per model; anything else is a 404."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from luoshi.accounts import access
from luoshi.accounts.roles import UNIT_ROLES, Role
from luoshi.ledger.models import Assignment, CoUnit, Matter
from luoshi.org.models import Unit

OVERSIGHT = {Role.OFFICE_ADMIN, Role.INSPECTOR, Role.OBSERVER, Role.LEADER}


def _unit_assignments_q(user: Any, prefix: str = "") -> Q:
    lead = access.scope_q(user, UNIT_ROLES, f"{prefix}lead_unit__path")
    co = access.scope_q(user, UNIT_ROLES, f"{prefix}co_units__unit__path")
    return lead | co


def covers_every_unit(user: Any, roles: Iterable[str]) -> bool:
    """True when the user's grants of ``roles`` take in every unit (the city's office): a
    filter on that scope would keep every row and only cost its join. One small query
    over the units, asked afresh each time (units and grants change)."""
    roles = set(roles)
    if not access.has_role(user, roles):
        return False
    return not Unit.objects.exclude(access.scope_q(user, roles)).exists()


def scope_or_all(user: Any, roles: Iterable[str], path_field: str) -> Q:
    """``access.scope_q``, or no condition at all when that scope is the whole tree."""
    return Q() if covers_every_unit(user, roles) else access.scope_q(user, roles, path_field)


def unit_subtree(user: Any, roles: Iterable[str] = UNIT_ROLES) -> QuerySet[Any]:
    """The ids of the units under the user's grants of ``roles`` (a handful for a
    department's liaison), as a subquery: ``lead_unit__in=`` it reads the lead-unit index
    where ``lead_unit__path__startswith`` joins every task to its unit."""
    return Unit.objects.filter(access.scope_q(user, roles)).values("pk")


def unit_task_ids(user: Any) -> QuerySet[Any]:
    """Ids of the tasks the user's units lead or co-operate on: a UNION of two index scans
    (lead unit, co-unit), where an OR across the co-unit join would read every task."""
    units = unit_subtree(user)
    lead = Assignment.objects.filter(lead_unit__in=units).order_by().values("pk")
    co = CoUnit.objects.filter(unit__in=units).order_by().values("assignment_id")
    return lead.union(co)


def unit_matter_ids(user: Any) -> QuerySet[Any]:
    """Ids of the matters of those tasks, the same way."""
    units = unit_subtree(user)
    lead = Assignment.objects.filter(lead_unit__in=units).order_by().values("matter_id")
    co = CoUnit.objects.filter(unit__in=units).order_by().values("assignment__matter_id")
    return lead.union(co)


def matter_queryset_for(user: Any) -> QuerySet[Matter]:
    """Office, observers and leaders: matters of offices in their scope (leaders also those
    they supervise); units: the matters of their assignments (header only, see views)."""
    if covers_every_unit(user, OVERSIGHT):
        return Matter.objects.all()
    q = access.scope_q(user, OVERSIGHT, "office__path")
    if access.has_role(user, {Role.LEADER}):
        q |= Q(supervising_leader=user)
    if access.has_role(user, UNIT_ROLES):
        q |= Q(pk__in=unit_matter_ids(user))
    return Matter.objects.filter(q)


def assignment_queryset_for(user: Any) -> QuerySet[Assignment]:
    if covers_every_unit(user, OVERSIGHT):
        return Assignment.objects.all()
    q = Q(matter__in=Matter.objects.filter(access.scope_q(user, OVERSIGHT, "office__path")))
    if access.has_role(user, {Role.LEADER}):
        q |= Q(matter__supervising_leader=user)
    if access.has_role(user, UNIT_ROLES):
        q |= Q(pk__in=unit_task_ids(user))
    return Assignment.objects.filter(q)


def unit_assignment_parts(user: Any) -> list[QuerySet[Assignment]] | None:
    """For a user who sees tasks only through his units (liaison, unit head): the tasks his
    units lead and those they co-operate on, as two querysets that each read their own
    index, so that a list can filter, count and order each and merge them. None for anyone
    else: ``assignment_queryset_for`` then."""
    if access.has_role(user, OVERSIGHT) or not access.has_role(user, UNIT_ROLES):
        return None
    units = unit_subtree(user)
    co = CoUnit.objects.filter(unit__in=units).values("assignment_id")
    return [Assignment.objects.filter(lead_unit__in=units), Assignment.objects.filter(pk__in=co)]


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


def my_work(user: Any, limit: int = 50, tallies: Any = None) -> dict[str, Any]:
    """The lists on each role's 我的待办: what waits for this user now, at most ``limit`` rows
    per list (each list knows its full count). Built in ``luoshi.workbench.todo``, which
    the 工作台 shares (with its ``tallies``)."""
    from luoshi.workbench.todo import work_lists

    return work_lists(user, limit=limit, tallies=tallies)
