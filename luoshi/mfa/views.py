"""The pages between the password and the session: the code, enrolment, the recovery codes.

Nobody is logged in on these pages (the pending login lives in the session, see
``pending``), except on the enrolment page, which also serves a logged-in user who turns
the second factor on from 动态口令. Nothing here is cached by the browser: the pages show a
secret or recovery codes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.errors import ServiceError
from luoshi.core.forms import add_service_error
from luoshi.mfa import flow, pending, services, totp
from luoshi.mfa.forms import CodeForm, VerifyForm
from luoshi.mfa.models import TotpDevice

# Wrong codes on the 动态口令 page of a logged-in user, counted in the session.
SESSION_FAILURES = "luoshi_mfa_failures"


def _to_login(request: HttpRequest, why: str) -> HttpResponse:
    messages.warning(request, why)
    return redirect("accounts:login")


def wrong_code(
    request: HttpRequest, form: Any, exc: ServiceError, state: pending.Pending | None, user: Any
) -> HttpResponse | None:
    """Count a wrong code; after five the pending login ends (or the session, for a
    logged-in user), so codes cannot be guessed one after another."""
    if state is not None:
        state.failures += 1
        failures = state.failures
        if failures >= pending.MAX_FAILURES:
            return flow.give_up(request, user)
        pending.save(request, state)
    else:
        failures = int(request.session.get(SESSION_FAILURES, 0)) + 1
        if failures >= pending.MAX_FAILURES:
            logout(request)
            messages.error(request, flow.TOO_MANY.format(n=pending.MAX_FAILURES))
            return redirect("accounts:login")
        request.session[SESSION_FAILURES] = failures
    form.add_error("code", f"{exc.message}还可以再试 {pending.MAX_FAILURES - failures} 次。")
    return None


def code_accepted(request: HttpRequest) -> None:
    request.session.pop(SESSION_FAILURES, None)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("workbench:home")
    state, user, why = pending.current(request, (pending.VERIFY,))
    if state is None or user is None:
        return _to_login(request, why)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = services.login_verify(user, form.cleaned_data["code"], request=request)
        except ServiceError as exc:
            response = wrong_code(request, form, exc, state, user)
            if response is not None:
                return response
        else:
            response = flow.finish_login(request, state, user)
            if method == "recovery":
                left = services.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"您使用了一个恢复码登录，还剩 {left} 个。"
                    "手机找不回时，请联系安全管理员重置动态口令。",
                )
            return response
    return render(request, "mfa/verify.html", {"form": form, "account": user})


def _enrolment_context(device: TotpDevice, user: Any, form: CodeForm) -> dict[str, Any]:
    uri = totp.provisioning_uri(device.secret, user.get_username())
    return {
        "form": form,
        "account": user,
        # segno writes the SVG from our own data only: safe to put in the page as is.
        "qr": mark_safe(totp.qr_svg(uri)),  # noqa: S308
        "secret": totp.grouped(device.secret),
        "issuer": totp.ISSUER,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    state: pending.Pending | None = None
    if request.user.is_authenticated:
        user: Any = request.user
    else:
        state, user, why = pending.current(request, (pending.ENROL, pending.ENROLLED))
        if state is None or user is None:
            return _to_login(request, why)
        if state.stage == pending.ENROLLED:  # e.g. the codes page reloaded
            return render(request, "mfa/codes.html", {"codes": None, "logging_in": True})
    try:
        device = services.enrolment_start(user)
    except ServiceError as exc:  # bound meanwhile, in another tab
        if state is not None:
            pending.drop(request)
            return _to_login(request, "动态口令已绑定，请重新登录。")
        messages.info(request, exc.message)
        return redirect("mfa:settings")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrolment_confirm(user, form.cleaned_data["code"], request=request)
        except services.WrongCode as exc:
            response = wrong_code(request, form, exc, state, user)
            if response is not None:
                return response
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            code_accepted(request)
            if state is not None:
                # A fresh window to write the codes down before logging in.
                state.stage, state.at, state.failures = (
                    pending.ENROLLED,
                    timezone.now().timestamp(),
                    0,
                )
                pending.save(request, state)
            return render(
                request, "mfa/codes.html", {"codes": codes, "logging_in": state is not None}
            )
    return render(request, "mfa/enrol.html", _enrolment_context(device, user, form))


@never_cache
@require_POST
def enrol_done(request: HttpRequest) -> HttpResponse:
    """我已保存: the end of enrolment at login, which logs the person in."""
    if request.user.is_authenticated:
        return redirect("mfa:settings")
    state, user, why = pending.current(request, (pending.ENROLLED,))
    if state is None or user is None:
        return _to_login(request, why)
    if services.confirmed_device_of(user) is None:  # reset meanwhile
        pending.drop(request)
        return _to_login(request, "动态口令已被重置，请重新登录。")
    return flow.finish_login(request, state, user)


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    pending.drop(request)
    return redirect("accounts:login")
