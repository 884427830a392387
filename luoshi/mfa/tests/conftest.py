"""A bound device with a known secret, on the frozen Monday 2026-11-23 09:30 (``now``)."""

from __future__ import annotations

import pytest

from luoshi.mfa import services, totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "Luoshi@2026"


def enrol(user, secret: str = SECRET) -> list[str]:
    """Bind a device with ``secret`` through the services; returns the recovery codes."""
    device = services.enrolment_start(user)
    device.secret = secret
    device.save(update_fields=["secret"])
    return services.enrolment_confirm(user, totp.code_now(secret))


def code(offset: int = 0, secret: str = SECRET) -> str:
    return totp.code_at_step(secret, totp.current_step() + offset)


def fresh_step(user) -> None:
    """Forget the last used step, so the current code is good again (a new 30 s)."""
    from luoshi.mfa.models import TotpDevice

    TotpDevice.objects.filter(user=user).update(last_used_step=None)


@pytest.fixture
def office(users, now):
    return users["office"]


@pytest.fixture
def office_codes(office):
    codes = enrol(office)
    fresh_step(office)
    return codes
