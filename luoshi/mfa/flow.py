"""The second step of logging in, between the password and the session.

``begin_login`` is called by the login view once the password is right: it answers a
redirect to the code page (a confirmed device), to enrolment (a role that requires a second
factor and no device yet), or None to log in at once. ``finish_login`` logs in when the
second step succeeded; ``give_up`` ends a pending login after too many wrong codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from luoshi.accounts import lockout
from luoshi.core.client import client_ip
from luoshi.mfa import pending
from luoshi.mfa.models import TotpDevice
from luoshi.mfa.policy import required_for

TOO_MANY = "动态口令连续输入错误 {n} 次，请重新输入用户名和密码登录。"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else ""


def begin_login(request: HttpRequest, user: Any) -> HttpResponse | None:
    """After a correct password: a redirect to the second factor, or None to log in now."""
    device = TotpDevice.objects.filter(user=user).only("confirmed_at").first()
    if device is not None and device.confirmed:
        stage = pending.VERIFY
    elif required_for(user):
        stage = pending.ENROL
    else:
        pending.drop(request)  # a half-finished login of another account in this browser
        return None
    pending.start(request, user, stage, _safe_next(request))
    return redirect("mfa:verify" if stage == pending.VERIFY else "mfa:enrol")


def finish_login(request: HttpRequest, state: pending.Pending, user: Any) -> HttpResponse:
    """Log in for real: ``login()`` rotates the session key, and its signal is the audit
    log's LOGIN record."""
    pending.drop(request)
    login(request, user, backend=state.backend)
    return redirect(state.next or resolve_url(settings.LOGIN_REDIRECT_URL))


def give_up(request: HttpRequest, user: Any) -> HttpResponse:
    """Too many wrong codes: back to the password, counted as one failed login."""
    pending.drop(request)
    lockout.record_failure(request, user.get_username(), client_ip(request))
    messages.error(request, TOO_MANY.format(n=pending.MAX_FAILURES))
    return redirect("accounts:login")
