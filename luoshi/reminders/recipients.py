"""Resolve a rule's recipient groups to people, a batch of units at a time.

The rule is ``luoshi.notify.recipients.holders``: people holding the role over the unit (a
grant over it or an ancestor) who belong to the unit or were granted the role over it.
``preload`` answers it for a whole batch of units in one query instead of one per unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from luoshi.accounts.models import RoleGrant
from luoshi.accounts.roles import Role
from luoshi.notify import recipients as people
from luoshi.reminders.rules import Recipient

UNIT_GROUPS = {Recipient.LIAISON: Role.LIAISON, Recipient.UNIT_HEAD: Role.UNIT_HEAD}


class Resolver:
    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], list[Any]] = {}

    def preload(self, units: Iterable[Any]) -> None:
        """Liaisons and heads of every unit in ``units`` with one query."""
        todo = {
            u.pk: u for u in units if u is not None and (Recipient.LIAISON, u.pk) not in self._cache
        }
        if not todo:
            return
        found: dict[tuple[str, int], dict[int, Any]] = {
            (group, pk): {} for pk in todo for group in UNIT_GROUPS
        }
        group_of: dict[str, str] = {role.value: group for group, role in UNIT_GROUPS.items()}
        grants = (
            RoleGrant.objects.filter(role__in=list(group_of), user__is_active=True)
            .filter(Q(unit_id__in=list(todo)) | Q(user__unit_id__in=list(todo)))
            .select_related("user", "unit")
        )
        for g in grants:
            for pk in {g.unit_id, g.user.unit_id} & todo.keys():
                if todo[pk].path.startswith(g.unit.path):  # the grant covers the unit
                    found[(group_of[g.role], pk)].setdefault(g.user.pk, g.user)
        for key, users in found.items():
            self._cache[key] = [users[pk] for pk in sorted(users)]

    def _get(self, group: str, unit: Any) -> list[Any]:
        if unit is None:
            return []
        key = (group, unit.pk)
        if key not in self._cache:
            if group in UNIT_GROUPS:
                self.preload([unit])
            else:
                self._cache[key] = list(people.office_staff(unit))
        return self._cache[key]

    def users(self, groups: list[str], unit: Any, matter: Any) -> list[Any]:
        found: dict[int, Any] = {}
        for group in groups:
            if group == Recipient.LEADER:
                leader = people.leader_of(matter)
                members = [leader] if leader else []
            elif group == Recipient.OFFICE:
                members = self._get(group, matter.office)
            else:
                members = self._get(group, unit)
            for user in members:
                found.setdefault(user.pk, user)
        return list(found.values())
