"""Select-box choices for ledger forms: units in tree order, leaders by name."""

from __future__ import annotations

from django.db.models import Q

from luoshi.accounts.models import User
from luoshi.accounts.roles import Role
from luoshi.org.models import Unit
from luoshi.org.selectors import unit_choices


def active_unit_choices() -> list[tuple[int, str]]:
    return unit_choices(Unit.objects.filter(is_active=True))


def leader_choices() -> list[tuple[int, str]]:
    leaders = (
        User.objects.filter(Q(grants__role=Role.LEADER), is_active=True)
        .distinct()
        .order_by("unit__path", "username")
    )
    return [(u.pk, f"{u.name}（{u.title}）" if u.title else u.name) for u in leaders]


def leader_by_pk(pk: int | None) -> User | None:
    if not pk:
        return None
    return User.objects.filter(pk=pk, grants__role=Role.LEADER, is_active=True).first()
