"""The only code that writes accounts and role grants."""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from luoshi.accounts import access
from luoshi.accounts.models import RoleGrant, User
from luoshi.accounts.roles import ROLE_GRANTERS, SEPARATED_ADMIN_ROLES, USER_MANAGERS, Role
from luoshi.core.errors import ServiceError
from luoshi.org.models import Unit

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
PHONE_RE = re.compile(r"^[0-9+\- ]{5,20}$")


def generate_password() -> str:
    """A random initial password that passes the validators and has all four classes."""
    alphabet = string.ascii_letters + string.digits + "@#%+=?"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(12))
        classes = [
            any(c.islower() for c in candidate),
            any(c.isupper() for c in candidate),
            any(c.isdigit() for c in candidate),
            any(not c.isalnum() for c in candidate),
        ]
        if all(classes):
            return candidate


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("；".join(exc.messages), field="password") from None


def clean_user_fields(
    *, username: str, name: str, unit: Unit | None, phone: str = "", title: str = ""
) -> dict[str, Any]:
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ServiceError("用户名须为 3–64 位字母、数字或 _ . @ - 符号。", field="username")
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写姓名。", field="name")
    if len(name) > 50:
        raise ServiceError("姓名不能超过 50 个字。", field="name")
    if unit is None:
        raise ServiceError("请选择所属单位。", field="unit")
    if not unit.is_active:
        raise ServiceError(f"单位“{unit.name}”已停用。", field="unit")
    phone = (phone or "").strip()
    if phone and not PHONE_RE.match(phone):
        raise ServiceError("手机号码格式不正确。", field="phone")
    return {
        "username": username,
        "name": name,
        "unit": unit,
        "phone": phone,
        "title": (title or "").strip()[:50],
    }


@transaction.atomic
def user_create(
    actor: Any,
    *,
    username: str,
    name: str,
    unit: Unit | None,
    phone: str = "",
    title: str = "",
    password: str | None = None,
) -> tuple[User, str]:
    """Create an account; returns it with its initial password (to hand over once).

    Without a given password a random one is generated and must be changed at first login.
    """
    fields = clean_user_fields(username=username, name=name, unit=unit, phone=phone, title=title)
    if actor is not None:
        access.require(actor, USER_MANAGERS, fields["unit"])
    if User.objects.filter(username__iexact=fields["username"]).exists():
        raise ServiceError(f"用户名“{fields['username']}”已被使用。", field="username")
    user = User(**fields)
    initial = password or generate_password()
    _check_password(initial, user)
    user.set_password(initial)
    user.must_change_password = password is None or actor is not None
    user.save()
    return user, initial


@transaction.atomic
def user_update(actor: Any, user: User, **changes: Any) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    access.require(actor, USER_MANAGERS, user.unit)
    merged = {
        "username": user.username,
        "name": changes.get("name", user.name),
        "unit": changes.get("unit", user.unit),
        "phone": changes.get("phone", user.phone),
        "title": changes.get("title", user.title),
    }
    fields = clean_user_fields(**merged)
    if fields["unit"] != user.unit:
        access.require(actor, USER_MANAGERS, fields["unit"])
    for key, value in fields.items():
        setattr(user, key, value)
    user.save()
    return user


@transaction.atomic
def user_set_active(actor: Any, user: User, active: bool) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    access.require(actor, USER_MANAGERS, user.unit)
    if user.pk == actor.pk and not active:
        raise ServiceError("不能停用自己的账户。")
    if active and not user.unit.is_active:
        raise ServiceError(f"所属单位“{user.unit.name}”已停用，请先调整所属单位。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_reset_password(actor: Any, user: User) -> str:
    """A new random password the user must change at next login."""
    user = User.objects.select_for_update().get(pk=user.pk)
    access.require(actor, USER_MANAGERS, user.unit)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


@transaction.atomic
def password_change(user: User, old_password: str, new_password: str) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ServiceError("原密码不正确。", field="old_password")
    if old_password == new_password:
        raise ServiceError("新密码不能与原密码相同。", field="new_password")
    _check_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])


@transaction.atomic
def role_grant(actor: Any, user: User, role: str, unit: Unit) -> RoleGrant:
    """Grant ``role`` over ``unit``'s subtree; enforces 三员分立 and unit-bound roles."""
    if role not in Role.values:
        raise ServiceError("角色无效。", field="role")
    if actor is not None:
        access.require(actor, ROLE_GRANTERS, unit)
        if actor.pk == user.pk:
            raise ServiceError("不能给自己授权。")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ServiceError("该账户已停用，不能授权。")
    if role in SEPARATED_ADMIN_ROLES:
        held = user.grants.filter(role__in=SEPARATED_ADMIN_ROLES).first()
        if held is not None:
            raise ServiceError(
                f"三员分立：该账户已是{held.get_role_display()}，不能再兼任{Role(role).label}。",
                field="role",
            )
    if role in (Role.LIAISON, Role.UNIT_HEAD) and not unit.path.startswith(user.unit.path):
        raise ServiceError("联络员和负责人只能在本单位范围内授权。", field="unit")
    if RoleGrant.objects.filter(user=user, role=role, unit=unit).exists():
        raise ServiceError("该授权已存在。")
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user, role=role, unit=unit, granted_by=actor if actor else None
            )
    except IntegrityError:
        raise ServiceError("三员分立：该账户已持有另一管理员角色。", field="role") from None
    access.forget_grants(user)
    return grant


@transaction.atomic
def role_revoke(actor: Any, grant: RoleGrant) -> None:
    access.require(actor, ROLE_GRANTERS, grant.unit)
    if actor.pk == grant.user_id:
        raise ServiceError("不能撤销自己的授权。")
    RoleGrant.objects.filter(pk=grant.pk).delete()
