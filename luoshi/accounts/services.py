"""The only code that writes accounts and role grants."""

from __future__ import annotations

import re
import secrets
import string
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from luoshi.accounts import access, separation
from luoshi.accounts import policy as policy_scope
from luoshi.accounts.models import LoginLock, RoleGrant, SecurityPolicy, User
from luoshi.accounts.policy import current_policy
from luoshi.accounts.roles import ROLE_GRANTERS, SEPARATED_ADMIN_ROLES, USER_MANAGERS, Role
from luoshi.accounts.security_models import (
    POLICY_LIMITS,
    REQUIRED_MFA_ROLES,
    policy_field_text,
)
from luoshi.audit.events import Event
from luoshi.audit.services import audit
from luoshi.core.errors import ServiceError
from luoshi.org.models import Unit

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
PHONE_RE = re.compile(r"^[0-9+\- ]{5,20}$")


def generate_password() -> str:
    """A random initial password that passes the validators and has all four classes."""
    alphabet = string.ascii_letters + string.digits + "@#%+=?"
    length = max(12, current_policy().min_length)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        classes = [
            any(c.islower() for c in candidate),
            any(c.isupper() for c in candidate),
            any(c.isdigit() for c in candidate),
            any(not c.isalnum() for c in candidate),
        ]
        if all(classes):
            return candidate


def _check_password(password: str, user: User | None = None, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        # Each message is a sentence ending in "。".
        raise ServiceError("".join(exc.messages), field=field) from None


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
    separation.check_account_change(actor, user)
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
    separation.check_account_change(actor, user)
    if user.pk == actor.pk and not active:
        raise ServiceError("不能停用自己的账户。")
    if active and not user.unit.is_active:
        raise ServiceError(f"所属单位“{user.unit.name}”已停用，请先调整所属单位。")
    user.is_active = active
    if active:
        # Re-enabled by an administrator: the inactivity rule counts from now.
        user.enabled_at = timezone.now()
    user.save(update_fields=["is_active", "enabled_at"])
    return user


@transaction.atomic
def user_reset_password(actor: Any, user: User) -> str:
    """A new random password the user must change at next login."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None:
        access.require(actor, USER_MANAGERS, user.unit)
        separation.check_account_change(actor, user)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    # Saving the password also adds it to the history (PasswordHistoryValidator).
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit(Event.PASSWORD_CHANGED, actor=actor, obj=user, detail="管理员重置密码")
    return password


@transaction.atomic
def password_change(user: User, old_password: str, new_password: str) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ServiceError("原密码不正确。", field="old_password")
    if old_password == new_password:
        raise ServiceError("新密码不能与原密码相同。", field="new_password")
    _check_password(new_password, user, field="new_password")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit(Event.PASSWORD_CHANGED, actor=user, obj=user, detail="本人修改密码")


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
    separation.check_grant(user, role)
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


# ---- 安全策略, login locks and inactive accounts (等保 2.0 三级) ----

POLICY_FIELDS = tuple(POLICY_LIMITS)


def _policy_values(policy: SecurityPolicy) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(policy, name) for name in POLICY_FIELDS}
    values["mfa_roles"] = policy.mfa_roles
    return values


def clean_mfa_roles(roles: Any) -> str:
    chosen = [str(r).strip() for r in (roles.split(",") if isinstance(roles, str) else roles)]
    chosen = [r for r in chosen if r]
    unknown = [r for r in chosen if r not in Role.values]
    if unknown:
        raise ServiceError(f"未知角色：{'、'.join(unknown)}。", field="mfa_roles")
    missing = [str(Role(r).label) for r in REQUIRED_MFA_ROLES if r not in chosen]
    if missing:
        raise ServiceError(
            f"等保三级要求以下角色必须使用动态口令，不能取消：{'、'.join(missing)}。",
            field="mfa_roles",
        )
    return ",".join(r for r in Role.values if r in chosen)


@transaction.atomic
def policy_update(actor: Any, **changes: Any) -> SecurityPolicy:
    """Change the security policy; values outside the level-3 ranges are refused."""
    access.require(actor, ROLE_GRANTERS)
    policy = SecurityPolicy.objects.select_for_update().get(pk=current_policy().pk)
    before = _policy_values(policy)
    for name, value in changes.items():
        if name == "mfa_roles":
            policy.mfa_roles = clean_mfa_roles(value)
            continue
        if name not in POLICY_LIMITS:
            raise ServiceError(f"未知的策略项：{name}。")
        label, _ = policy_field_text(name)
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ServiceError(f"{label}须为整数。", field=name) from None
        _, low, high = POLICY_LIMITS[name]
        if not low <= number <= high:
            raise ServiceError(
                f"{label}须在 {low} 到 {high} 之间（等保三级不允许低于默认要求）。", field=name
            )
        setattr(policy, name, number)
    after = _policy_values(policy)
    changed = [k for k in after if after[k] != before[k]]
    if not changed:
        return policy
    policy.updated_by = actor
    policy.save()
    audit(
        Event.POLICY_CHANGED,
        actor=actor,
        obj=policy,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    policy_scope.remember(policy)
    return policy


@transaction.atomic
def login_lock_release(actor: Any, lock_id: int) -> LoginLock:
    """The security administrator ends a lock early (the person was identified)."""
    access.require(actor, ROLE_GRANTERS)
    now = timezone.now()
    lock = LoginLock.objects.select_for_update().filter(pk=lock_id).first()
    if lock is None or lock.locked_until is None or lock.locked_until <= now:
        raise ServiceError("该锁定已解除或已到期。")
    until = lock.locked_until
    lock.locked_until = now
    lock.counted_from = now
    lock.save(update_fields=["locked_until", "counted_from"])
    audit(
        Event.UNLOCKED,
        actor=actor,
        obj=lock,
        before={"locked_until": until.isoformat()},
        after={"locked_until": now.isoformat()},
    )
    return lock


def _inactive_since(cutoff: Any) -> Any:
    base = Greatest(
        Coalesce("last_login", "date_joined"),
        "date_joined",
        "password_changed_at",
        Coalesce("enabled_at", "date_joined"),
    )
    return User.objects.filter(is_active=True).annotate(base=base).filter(base__lt=cutoff)


def inactive_accounts() -> list[User]:
    """Active accounts unused for the policy's days, less the last active holder of each
    separated administrator role (without them nobody could re-enable anyone)."""
    cutoff = timezone.now() - timedelta(days=current_policy().inactive_days)
    candidates = list(_inactive_since(cutoff).order_by("-base", "pk"))
    keep: set[int] = set()
    ids = {u.pk for u in candidates}
    for role in sorted(SEPARATED_ADMIN_ROLES):
        holders = set(
            User.objects.filter(is_active=True, grants__role=role).values_list("pk", flat=True)
        )
        if holders and holders <= ids:
            # Candidates come most recently used first: that one stays.
            keep.add(next(u.pk for u in candidates if u.pk in holders))
    return [u for u in candidates if u.pk not in keep]


@transaction.atomic
def disable_inactive_accounts() -> list[User]:
    days = current_policy().inactive_days
    disabled = []
    for user in inactive_accounts():
        if not User.objects.filter(pk=user.pk, is_active=True).update(is_active=False):
            continue  # another runner got there first
        last = timezone.localtime(user.last_login).date() if user.last_login else "从未登录"
        audit(
            Event.ACCOUNT_DISABLED,
            actor=None,
            obj=user,
            before={"is_active": True},
            after={"is_active": False},
            detail=f"超过 {days} 天未使用，自动停用（最后登录：{last}）",
        )
        disabled.append(user)
    return disabled
