"""TOTP (RFC 6238) as the authenticator apps compute it: 30-second steps, 6 digits, SHA-1.

Pure functions over a base32 secret and a Unix time, so the service decides what a step
means (replay, enrolment) and tests can move the clock freely."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

import pyotp
import segno
from django.utils import timezone

ISSUER = "落实督查督办"
STEP_SECONDS = 30
DIGITS = 6
# One step either side: a phone clock a little off, or a code typed just as it changed.
DRIFT_STEPS = 1


def new_secret() -> str:
    """160 random bits, the size RFC 4226 recommends, as 32 base32 characters."""
    return pyotp.random_base32(32)


def current_step(at: float | None = None) -> int:
    when = timezone.now().timestamp() if at is None else at
    return int(when // STEP_SECONDS)


def code_at_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def code_now(secret: str) -> str:
    return code_at_step(secret, current_step())


def is_code_shape(code: str) -> bool:
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def matching_steps(secret: str, code: str, at: float | None = None) -> list[int]:
    """The steps within the drift window whose code is ``code``, oldest first."""
    if not is_code_shape(code):
        return []
    now = current_step(at)
    return [
        step
        for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1)
        if hmac.compare_digest(code_at_step(secret, step), code)
    ]


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG (no image request, nothing from a CDN); sized by CSS."""
    return str(
        segno.make(uri, error="m").svg_inline(
            scale=4, omitsize=True, dark="#000", light="#fff", svgclass="mfa-qr-svg",
            title="动态口令二维码",
        )
    )  # fmt: skip


def grouped(secret: str) -> str:
    """``ABCD EFGH …`` for typing the secret by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def step_time(step: int | None) -> datetime | None:
    """When a step began, for showing the last use of a device."""
    if step is None:
        return None
    return datetime.fromtimestamp(step * STEP_SECONDS, tz=UTC)
