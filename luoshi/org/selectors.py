"""Read-side queries for units."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from luoshi.accounts import access
from luoshi.accounts.roles import UNIT_MANAGERS
from luoshi.org.models import Unit


def unit_queryset_for(user: Any) -> QuerySet[Unit]:
    """Every signed-in user may read the unit directory: tasks are routed by it."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.all()


def managed_units_for(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(access.scope_q(user, UNIT_MANAGERS))


def unit_get_for_manager(user: Any, pk: int) -> Unit:
    """A unit the user may manage; anything else is a 404."""
    unit = managed_units_for(user).filter(pk=pk).select_related("parent").first()
    if unit is None:
        raise Http404("单位不存在")
    return unit


def tree_rows(units: QuerySet[Unit], *, with_counts: bool = False) -> list[Unit]:
    """Units in depth-first order, siblings by ``order``; each gets ``level`` for indenting."""
    qs = units.select_related("parent")
    if with_counts:
        qs = qs.annotate(user_count=Count("users", filter=Q(users__is_active=True), distinct=True))
    all_units = list(qs)
    by_parent: dict[int | None, list[Unit]] = defaultdict(list)
    ids = {u.pk for u in all_units}
    for u in all_units:
        # A unit whose parent is outside the set is shown as a top-level row.
        by_parent[u.parent_id if u.parent_id in ids else None].append(u)
    for children in by_parent.values():
        children.sort(key=lambda u: (u.order, u.pk))
    rows: list[Unit] = []

    def walk(parent_id: int | None, level: int) -> None:
        for child in by_parent.get(parent_id, []):
            child.level = level  # type: ignore[attr-defined]
            rows.append(child)
            walk(child.pk, level + 1)

    walk(None, 0)
    return rows


def unit_choices(units: QuerySet[Unit]) -> list[tuple[int, str]]:
    """(id, indented name) pairs for a select box, in tree order (as ``tree_rows``, from
    four columns instead of model instances: a province has ~1,500 units)."""
    rows = list(units.values_list("pk", "name", "parent_id", "order"))
    ids = {pk for pk, _n, _p, _o in rows}
    by_parent: dict[int | None, list[tuple[int, str, Any, int]]] = defaultdict(list)
    for row in rows:
        by_parent[row[2] if row[2] in ids else None].append(row)
    for children in by_parent.values():
        children.sort(key=lambda r: (r[3], r[0]))
    out: list[tuple[int, str]] = []
    stack = [(child, 0) for child in reversed(by_parent.get(None, []))]
    while stack:
        (pk, name, _parent, _order), level = stack.pop()
        out.append((pk, "　" * level + name))
        stack.extend((child, level + 1) for child in reversed(by_parent.get(pk, [])))
    return out
