"""Login failure handling: per-name and per-address locks, and the per-address rate limit.

Every password submitted on the login page is one ``LoginAttempt``. Failures are counted
by the name as typed (lower-cased), so an unknown name locks exactly like a real one and
the page reveals nothing about which accounts exist, and separately by client address.
Each name and address has one ``LoginLock`` row; a lock starts by a conditional update of
that row, so concurrent failures start it (and audit it) once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from luoshi.accounts.policy import current_policy
from luoshi.accounts.security_models import POLICY_LIMITS, LoginAttempt, LoginLock
from luoshi.audit.events import Event
from luoshi.audit.services import audit

Scope = LoginLock.Scope
RATE_WINDOW = timedelta(minutes=1)
KEEP_ATTEMPTS = timedelta(days=30)


def normalise(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def is_rate_limited(address: str) -> bool:
    """True when this address already used its attempts for the last minute."""
    since = timezone.now() - RATE_WINDOW
    recent = LoginAttempt.objects.filter(address=address, at__gt=since).count()
    return recent >= current_policy().rate_limit


def note_rate_limited(request: Any, address: str) -> None:
    # One audit record per address and minute: a flood must not flood the log as well.
    if cache.add(f"luoshi:rate-limited:{address}", 1, int(RATE_WINDOW.total_seconds())):
        audit(
            Event.RATE_LIMITED,
            request=request,
            actor=None,
            success=False,
            object_type="accounts.LoginAttempt",
            object_repr=address,
            detail=(
                f"地址 {address or '未知'} 一分钟内登录尝试超过 {current_policy().rate_limit} 次"
            ),
        )


def is_locked(username: str, address: str) -> bool:
    now = timezone.now()
    return (
        LoginLock.objects.filter(locked_until__gt=now)
        .filter(
            Q(scope=Scope.USERNAME, key=normalise(username)) | Q(scope=Scope.ADDRESS, key=address)
        )
        .exists()
    )


@transaction.atomic
def record_failure(request: Any, username: str, address: str) -> None:
    """A wrong password, an unknown or disabled account, a locked one, or a wrong second
    factor: all count alike."""
    now = timezone.now()
    key = normalise(username)
    LoginAttempt.objects.create(
        at=now, username=(username or "")[:150], key=key, address=address, success=False
    )
    _maybe_lock(request, Scope.USERNAME, key, now)
    _maybe_lock(request, Scope.ADDRESS, address, now)


@transaction.atomic
def record_success(request: Any, username: str, address: str) -> None:
    """The password was right. The name's count starts again only once the login is
    complete (``reset_name`` on the login signal): wrong second-factor codes after a right
    password still count towards the name's lock."""
    LoginAttempt.objects.create(
        at=timezone.now(), username=(username or "")[:150], key=normalise(username),
        address=address, success=True,
    )  # fmt: skip


def reset_name(username: str) -> None:
    """A completed login: the name's count starts again (the address's does not, or one
    known password would let an address guess at every other account)."""
    now = timezone.now()
    key = normalise(username)
    LoginLock.objects.filter(scope=Scope.USERNAME, key=key).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    ).update(counted_from=now)


def _maybe_lock(request: Any, scope: str, key: str, now: datetime) -> None:
    policy = current_policy()
    lock, _ = LoginLock.objects.get_or_create(scope=scope, key=key)
    if lock.locked_until is not None and lock.locked_until > now:
        return
    since = now - timedelta(minutes=policy.lockout_minutes)
    if lock.counted_from is not None and lock.counted_from > since:
        since = lock.counted_from
    field = "key" if scope == Scope.USERNAME else "address"
    failures = LoginAttempt.objects.filter(**{field: key}, success=False, at__gte=since).count()
    if failures < policy.lockout_threshold:
        return
    until = now + timedelta(minutes=policy.lockout_minutes)
    # Failures while locked do not count towards the next lock.
    won = (
        LoginLock.objects.filter(pk=lock.pk)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(locked_at=now, locked_until=until, counted_from=until)
    )
    if won:
        what = "用户名" if scope == Scope.USERNAME else "地址"
        audit(
            Event.LOCKED,
            request=request,
            actor=None,
            object_type="accounts.LoginLock",
            object_id=str(lock.pk),
            object_repr=f"{what} {key}",
            detail=(
                f"{what} {key or '未知'} 在 {policy.lockout_minutes} 分钟内登录失败 "
                f"{failures} 次，锁定至 {timezone.localtime(until):%Y-%m-%d %H:%M}"
            ),
            after={"scope": scope, "key": key, "locked_until": until.isoformat()},
        )


def current_locks() -> list[LoginLock]:
    return list(LoginLock.objects.filter(locked_until__gt=timezone.now()).order_by("locked_at"))


def purge_attempts() -> str:
    """Housekeeping: attempts older than 30 days, and lock rows that no longer matter."""
    now = timezone.now()
    deleted, _ = LoginAttempt.objects.filter(at__lt=now - KEEP_ATTEMPTS).delete()
    # Failures count within the lockout window (a day at most), so an unlocked row whose
    # counting start is older than that is the same as no row.
    longest = timedelta(minutes=POLICY_LIMITS["lockout_minutes"][2])
    LoginLock.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now)).filter(
        Q(counted_from__isnull=True) | Q(counted_from__lt=now - longest)
    ).delete()
    return f"清理 30 天前的登录尝试 {deleted} 条"
