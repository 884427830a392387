from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from luoshi.accounts import access
from luoshi.accounts.models import RoleGrant, User
from luoshi.accounts.roles import ROLE_GRANTERS, USER_MANAGERS


def users_managed_by(actor: Any) -> QuerySet[User]:
    return User.objects.filter(access.scope_q(actor, USER_MANAGERS, "unit__path")).select_related(
        "unit"
    )


def users_grantable_by(actor: Any) -> QuerySet[User]:
    return User.objects.filter(access.scope_q(actor, ROLE_GRANTERS, "unit__path")).select_related(
        "unit"
    )


def user_get_for_manager(actor: Any, pk: int) -> User:
    user = users_managed_by(actor).filter(pk=pk).first()
    if user is None:
        raise Http404("用户不存在")
    return user


def grant_get_for_granter(actor: Any, pk: int) -> RoleGrant:
    grant = (
        RoleGrant.objects.filter(access.scope_q(actor, ROLE_GRANTERS, "unit__path"))
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        raise Http404("授权不存在")
    return grant


def search_users(qs: QuerySet[User], q: str) -> QuerySet[User]:
    q = q.strip()
    if not q:
        return qs
    return qs.filter(Q(username__icontains=q) | Q(name__icontains=q) | Q(unit__name__icontains=q))
