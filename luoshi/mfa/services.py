"""The only code that changes a second factor: enrol, check a code, renew recovery codes,
remove one's own device, and the 安全管理员's reset.

Every change is one transaction. A refused code raises ``WrongCode`` after the transaction
rolled back, and is recorded in the audit log as MFA_FAILED; secrets and codes never go
into an audit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import ROLE_GRANTERS
from luoshi.audit.events import Event
from luoshi.audit.services import audit
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.mfa import recovery, totp
from luoshi.mfa.models import RecoveryCode, TotpDevice
from luoshi.mfa.policy import required_for

WRONG = "动态口令不正确，请输入手机上当前显示的 6 位数字。"
REPLAYED = "该动态口令已经使用过，请等手机上出现新的口令后再输入。"
WRONG_ANY = "动态口令或恢复码不正确。"
REASON_MIN = 2


class WrongCode(ServiceError):
    """The code did not prove possession of the device (wrong, replayed or used up)."""


def device_of(user: Any) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user).first()


def confirmed_device_of(user: Any) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _failed(user: Any, request: Any, detail: str) -> None:
    audit(
        Event.MFA_FAILED,
        request=request,
        actor=user,
        obj=user,
        success=False,
        detail=detail,
    )


def _claim_step(device: TotpDevice, code: str) -> int:
    """Accept ``code`` for one step newer than any used before, or raise ``WrongCode``.

    The conditional update makes two requests racing with the same code see one winner."""
    steps = totp.matching_steps(device.secret, code)
    if not steps:
        raise WrongCode(WRONG, field="code")
    last = device.last_used_step
    fresh = [s for s in steps if last is None or s > last]
    for step in reversed(fresh):
        newer = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
        if TotpDevice.objects.filter(newer, pk=device.pk).update(last_used_step=step):
            device.last_used_step = step
            return step
    raise WrongCode(REPLAYED, field="code")


def _new_recovery_codes(user: Any) -> list[str]:
    codes = recovery.generate()
    RecoveryCode.objects.filter(user=user).delete()
    now = timezone.now()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=recovery.make_hash(c), created_at=now) for c in codes
    )
    return codes


def enrolment_start(user: Any) -> TotpDevice:
    """The device being set up: a new secret, or the one already shown and not confirmed,
    so a user who scanned the code and came back later does not have to scan again."""
    with transaction.atomic():
        device, _ = TotpDevice.objects.select_for_update().get_or_create(
            user=user, defaults={"secret": totp.new_secret()}
        )
        if device.confirmed:
            raise ServiceError("您已绑定动态口令。")
    return device


def enrolment_confirm(user: Any, code: str, *, request: Any = None) -> list[str]:
    """Confirm the device with a current code; returns the ten recovery codes to show once."""
    try:
        with transaction.atomic():
            device = (
                TotpDevice.objects.select_for_update()
                .filter(user=user, confirmed_at__isnull=True)
                .first()
            )
            if device is None:
                raise ServiceError("绑定已完成或已被重置，请刷新页面。")
            _claim_step(device, code.strip())
            device.confirmed_at = timezone.now()
            device.save(update_fields=["confirmed_at"])
            codes = _new_recovery_codes(user)
            audit(
                Event.MFA_ENROLLED,
                request=request,
                actor=user,
                obj=user,
                after={"bound": True, "recovery_left": len(codes)},
                detail="绑定动态口令",
            )
    except WrongCode as exc:
        _failed(user, request, f"绑定时{exc.message}")
        raise
    return codes


def login_verify(user: Any, code: str, *, request: Any = None) -> str:
    """The second step of logging in: a current code from the app, or an unused recovery
    code (which is then used up). Returns ``"totp"`` or ``"recovery"``."""
    entered = code.strip()
    try:
        with transaction.atomic():
            device = confirmed_device_of(user)
            if device is None:
                raise WrongCode("该账户尚未绑定动态口令，请重新登录。", field="code")
            if totp.is_code_shape(entered):
                _claim_step(device, entered)
                return "totp"
            if recovery.looks_like_code(entered) and _use_recovery_code(user, entered):
                audit(
                    Event.MFA_RECOVERY_USED,
                    request=request,
                    actor=user,
                    obj=user,
                    after={"recovery_left": recovery_codes_left(user)},
                    detail="使用恢复码登录",
                )
                return "recovery"
            raise WrongCode(WRONG_ANY, field="code")
    except WrongCode as exc:
        _failed(user, request, f"登录时{exc.message}")
        raise


def _use_recovery_code(user: Any, code: str) -> bool:
    for rc in RecoveryCode.objects.filter(user=user, used_at__isnull=True).order_by("pk"):
        if recovery.matches(code, rc.code_hash):
            # Claimed by a conditional update: two logins with one code, one winner.
            return bool(
                RecoveryCode.objects.filter(pk=rc.pk, used_at__isnull=True).update(
                    used_at=timezone.now()
                )
            )
    return False


def _require_current_code(user: Any, code: str) -> TotpDevice:
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not device.confirmed:
        raise ServiceError("您尚未绑定动态口令。")
    _claim_step(device, code.strip())
    return device


def recovery_codes_renew(user: Any, code: str, *, request: Any = None) -> list[str]:
    """New recovery codes for old ones lost or used up; the old ones stop working."""
    try:
        with transaction.atomic():
            _require_current_code(user, code)
            left = recovery_codes_left(user)
            codes = _new_recovery_codes(user)
            audit(
                Event.MFA_RECOVERY_RENEWED,
                request=request,
                actor=user,
                obj=user,
                before={"recovery_left": left},
                after={"recovery_left": len(codes)},
                detail="重新生成恢复码",
            )
    except WrongCode as exc:
        _failed(user, request, f"重新生成恢复码时{exc.message}")
        raise
    return codes


def device_clear(user: Any) -> dict[str, Any]:
    """Remove the user's device and recovery codes; returns what there was, for the audit
    record. Callers check who may do this."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    before = {
        "bound": bool(device and device.confirmed),
        "confirmed_at": device.confirmed_at if device else None,
        "recovery_left": recovery_codes_left(user),
    }
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    return before


def device_remove(user: Any, code: str, *, request: Any = None) -> None:
    """An optional user turns the second factor off (with a current code)."""
    if required_for(user):
        raise NotPermitted("您的角色要求登录时必须使用动态口令，不能解除绑定。")
    try:
        with transaction.atomic():
            _require_current_code(user, code)
            before = device_clear(user)
            audit(
                Event.MFA_RESET,
                request=request,
                actor=user,
                obj=user,
                before=before,
                after={"bound": False},
                detail="本人解除绑定动态口令",
            )
    except WrongCode as exc:
        _failed(user, request, f"解除绑定时{exc.message}")
        raise


def device_reset(actor: Any, target: Any, *, reason: str, request: Any = None) -> None:
    """The 安全管理员 clears a user's device (lost phone): the user enrols again at the next
    login, or logs in without a second factor when the roles do not require one."""
    access.require(actor, ROLE_GRANTERS, target.unit)
    if actor.pk == target.pk:
        raise ServiceError("不能重置自己的动态口令，请由其他安全管理员办理。")
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN:
        raise ServiceError("请填写重置原因（如：手机丢失、更换手机）。", field="reason")
    with transaction.atomic():
        if not TotpDevice.objects.filter(user=target).exists():
            raise ServiceError("该用户尚未绑定动态口令，无需重置。")
        before = device_clear(target)
        audit(
            Event.MFA_RESET,
            request=request,
            actor=actor,
            obj=target,
            before=before,
            after={"bound": False},
            detail=f"重置动态口令：{reason}",
        )
