"""The half-way state between a correct password and the second factor, kept in the session.

The person is NOT logged in while it exists: no page but the second-factor pages knows
about it. It names the account, the backend that checked the password and the moment it
did; it lapses after a few minutes, after too many wrong codes, and when the account's
password changes or the account is disabled meanwhile."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from luoshi.accounts.models import User

KEY = "luoshi_mfa_pending"
VERIFY = "verify"
ENROL = "enrol"
ENROLLED = "enrolled"  # confirmed, recovery codes shown, waiting for 我已保存
# Five minutes to type a code; setting up an app on the phone takes longer.
SECONDS = {VERIFY: 5 * 60, ENROL: 10 * 60, ENROLLED: 10 * 60}
MAX_FAILURES = 5


@dataclass
class Pending:
    user_id: int
    backend: str
    at: float
    stage: str
    next: str = ""
    failures: int = 0
    auth_hash: str = ""

    @property
    def expired(self) -> bool:
        return timezone.now().timestamp() - self.at > SECONDS.get(self.stage, 0)


def start(request: Any, user: Any, stage: str, next_url: str = "") -> Pending:
    """Remember the password step; a new session key, so a session id planted before the
    password cannot be used to reach the enrolment page (and its secret)."""
    request.session.cycle_key()
    backend = getattr(user, "backend", "") or settings.AUTHENTICATION_BACKENDS[0]
    pending = Pending(
        user_id=user.pk,
        backend=backend,
        at=timezone.now().timestamp(),
        stage=stage,
        next=next_url,
        auth_hash=user.get_session_auth_hash(),
    )
    save(request, pending)
    return pending


def save(request: Any, pending: Pending) -> None:
    request.session[KEY] = asdict(pending)


def drop(request: Any) -> None:
    request.session.pop(KEY, None)


def read(request: Any) -> Pending | None:
    raw = request.session.get(KEY)
    if not isinstance(raw, dict):
        return None
    try:
        return Pending(**raw)
    except TypeError:  # written by an older version
        drop(request)
        return None


def user_of(pending: Pending) -> User | None:
    """The account, still active and with the password that was checked."""
    user = User.objects.filter(pk=pending.user_id, is_active=True).select_related("unit").first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending.auth_hash):
        return None
    return user


def current(request: Any, stages: tuple[str, ...]) -> tuple[Pending | None, User | None, str]:
    """The pending login in one of ``stages`` and its user, or why there is none."""
    pending = read(request)
    if pending is None or pending.stage not in stages:
        return None, None, "请先输入用户名和密码登录。"
    if pending.expired:
        drop(request)
        return None, None, "验证已超时，请重新输入用户名和密码登录。"
    user = user_of(pending)
    if user is None:
        drop(request)
        return None, None, "请重新输入用户名和密码登录。"
    return pending, user, ""
