"""What the 安全管理员 sees: the users of the units under the grant, with their status."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from luoshi.accounts.models import RoleGrant, User
from luoshi.accounts.selectors import search_users, users_grantable_by
from luoshi.mfa.models import TotpDevice
from luoshi.mfa.policy import required_roles

BOUND = Q(totp_device__confirmed_at__isnull=False)


def users_with_status(actor: Any, q: str = "", status: str = "") -> QuerySet[User]:
    """Users in the actor's scope, each with ``mfa_required``, ``mfa_bound_at`` and
    ``recovery_left``; ``status`` is "", "missing", "bound" or "unbound"."""
    roles = sorted(required_roles())
    needs = Exists(RoleGrant.objects.filter(user=OuterRef("pk"), role__in=roles))
    qs = (
        search_users(users_grantable_by(actor), q)
        .annotate(
            mfa_required=needs,
            recovery_left=Count("recovery_codes", filter=Q(recovery_codes__used_at__isnull=True)),
        )
        .select_related("totp_device")
    )
    if status == "bound":
        qs = qs.filter(BOUND)
    elif status == "unbound":
        qs = qs.exclude(BOUND)
    elif status == "missing":
        qs = qs.filter(needs).exclude(BOUND)
    return qs.order_by("unit__path", "username")


def user_get_for_secadmin(actor: Any, pk: int) -> User:
    user = users_with_status(actor).filter(pk=pk).first()
    if user is None:
        raise Http404("用户不存在")
    return user


def bound_at(user: User) -> Any:
    device: TotpDevice | None = getattr(user, "totp_device", None)
    return device.confirmed_at if device is not None else None
