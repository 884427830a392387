"""What a user's roles allow: role checks and unit-subtree scopes.

Grants are read once per request and cached on the user object, so menus, views
and services can ask as often as they like.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from luoshi.core.errors import NotPermitted

if TYPE_CHECKING:
    from luoshi.org.models import Unit

_CACHE = "_luoshi_grants"


def grants_of(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) for each grant the user holds; empty for anonymous users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(user.grants.values_list("role", "unit__path"))
        setattr(user, _CACHE, cached)
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def roles_of(user: Any) -> set[str]:
    return {role for role, _ in grants_of(user)}


def has_role(user: Any, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(role in wanted for role, _ in grants_of(user))


def covers(user: Any, roles: Iterable[str], unit: Unit) -> bool:
    """True when one of ``roles`` is granted over ``unit`` or one of its ancestors."""
    wanted = set(roles)
    return any(role in wanted and unit.path.startswith(path) for role, path in grants_of(user))


def scope_q(user: Any, roles: Iterable[str], path_field: str = "path") -> Q:
    """A filter for the units (or objects of units) under the user's grants of ``roles``."""
    wanted = set(roles)
    paths = sorted({path for role, path in grants_of(user) if role in wanted})
    # Drop paths already covered by a shorter one, to keep the SQL small.
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    if not kept:
        return Q(pk__in=[])
    q = Q()
    for path in kept:
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def require(user: Any, roles: Iterable[str], unit: Unit | None = None) -> None:
    """Raise ``NotPermitted`` unless the user holds one of ``roles`` (over ``unit``)."""
    roles = set(roles)
    ok = covers(user, roles, unit) if unit is not None else has_role(user, roles)
    if not ok:
        raise NotPermitted("您没有执行此操作的权限。")
