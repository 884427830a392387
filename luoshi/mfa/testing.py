"""For tests only: let ``conftest.login()`` pass the second factor cheaply.

A user who must (or chose to) use a second factor gets a confirmed device with a known
secret straight through the ORM, and its replay guard cleared, so the helper can type the
current code. The test and the live server run in one process under one frozen clock, so
the code the test computes is the one the server expects."""

from __future__ import annotations

from django.utils import timezone

from luoshi.accounts.models import User
from luoshi.mfa import totp
from luoshi.mfa.models import TotpDevice
from luoshi.mfa.policy import required_for

TEST_SECRET = "LUOSHITESTSECRETLUOSHITESTSECRET"  # noqa: S105 - a test fixture, not a secret


def prepare_login(username: str) -> str | None:
    """The secret to compute codes with, or None when the login needs no second factor."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    device = TotpDevice.objects.filter(user=user).first()
    if not required_for(user) and (device is None or not device.confirmed):
        return None
    TotpDevice.objects.update_or_create(
        user=user,
        defaults={"secret": TEST_SECRET, "confirmed_at": timezone.now(), "last_used_step": None},
    )
    return TEST_SECRET


def current_code(secret: str = TEST_SECRET) -> str:
    return totp.code_now(secret)
