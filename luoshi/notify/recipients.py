"""Who receives a message about a unit's or an office's work.

A unit's liaison and head are the people granted that role over the unit itself (a grant
over a whole district does not make its holder the contact of every department in it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.models import User
from luoshi.accounts.roles import OFFICE_ROLES, Role


def holders(unit: Any, roles: Iterable[str]) -> QuerySet[User]:
    """Active users holding one of ``roles`` granted over exactly ``unit``."""
    return (
        User.objects.filter(is_active=True, grants__unit=unit, grants__role__in=list(roles))
        .distinct()
        .order_by("pk")
    )


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
