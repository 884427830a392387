"""Resolve a rule's recipient groups to people, with one query per unit or office per sweep."""

from __future__ import annotations

from typing import Any

from luoshi.notify import recipients as people
from luoshi.reminders.rules import Recipient


class Resolver:
    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], list[Any]] = {}

    def _get(self, group: str, unit: Any) -> list[Any]:
        if unit is None:
            return []
        key = (group, unit.pk)
        if key not in self._cache:
            qs = {
                Recipient.LIAISON: people.liaisons,
                Recipient.UNIT_HEAD: people.unit_heads,
                Recipient.OFFICE: people.office_staff,
            }[Recipient(group)](unit)
            self._cache[key] = list(qs)
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
