"""Who receives a message about a unit's or an office's work.

A unit's liaison, head or office staff are the people holding that role over the unit
(a grant over it or over one of its ancestors) who either belong to the unit or were
granted the role over the unit itself. So a district's liaison is not the contact of
every department in the district, and the city's 督查室 staff, whose grants cover the
whole city, are the staff of the 督查室 they work in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from luoshi.accounts.models import User
from luoshi.accounts.roles import OFFICE_ROLES, Role


def holders(unit: Any, roles: Iterable[str]) -> QuerySet[User]:
    """Active users holding one of ``roles`` over ``unit`` who belong to it or were granted
    the role over it."""
    covering = [*unit.ancestor_ids(), unit.pk]
    return (
        User.objects.filter(is_active=True, grants__role__in=list(roles),
                            grants__unit_id__in=covering)
        .filter(Q(unit_id=unit.pk) | Q(grants__unit_id=unit.pk))
        .distinct()
        .order_by("pk")
    )  # fmt: skip


def liaisons(unit: Any) -> QuerySet[User]:
    return holders(unit, [Role.LIAISON])


def unit_heads(unit: Any) -> QuerySet[User]:
    return holders(unit, [Role.UNIT_HEAD])


def office_staff(office: Any) -> QuerySet[User]:
    return holders(office, OFFICE_ROLES)


def leader_of(matter: Any) -> User | None:
    """The matter's 分管领导, when there is one and the account is active."""
    leader = matter.supervising_leader
    return leader if leader is not None and leader.is_active else None
