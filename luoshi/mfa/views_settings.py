"""动态口令: a logged-in user's own second factor (status, recovery codes, turning it off)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.core.forms import add_service_error
from luoshi.core.types import AuthedRequest
from luoshi.mfa import services, totp
from luoshi.mfa.forms import CodeForm
from luoshi.mfa.policy import required_for
from luoshi.mfa.views import code_accepted, wrong_code


def _page(
    request: AuthedRequest, *, renew_form: CodeForm | None = None, remove_form: Any = None
) -> HttpResponse:
    user = request.user
    device = services.confirmed_device_of(user)
    required = required_for(user)
    return render(
        request,
        "mfa/settings.html",
        {
            "device": device,
            "required": required,
            "last_used": totp.step_time(device.last_used_step) if device else None,
            "left": services.recovery_codes_left(user) if device else 0,
            "renew_form": renew_form or CodeForm(autofocus=False, prefix="renew"),
            "remove_form": None
            if required or device is None
            else remove_form or CodeForm(autofocus=False, prefix="remove"),
        },
    )


@never_cache
@login_required
def settings_page(request: AuthedRequest) -> HttpResponse:
    return _page(request)


@never_cache
@require_POST
@login_required
def renew(request: AuthedRequest) -> HttpResponse:
    form = CodeForm(request.POST, autofocus=False, prefix="renew")
    if form.is_valid():
        try:
            codes = services.recovery_codes_renew(
                request.user, form.cleaned_data["code"], request=request
            )
        except services.WrongCode as exc:
            response = wrong_code(request, form, exc, None, request.user)
            if response is not None:
                return response
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            code_accepted(request)
            return render(request, "mfa/codes.html", {"codes": codes, "logging_in": False})
    return _page(request, renew_form=form)


@require_POST
@login_required
def remove(request: AuthedRequest) -> HttpResponse:
    form = CodeForm(request.POST, autofocus=False, prefix="remove")
    if form.is_valid():
        try:
            services.device_remove(request.user, form.cleaned_data["code"], request=request)
        except services.WrongCode as exc:
            response = wrong_code(request, form, exc, None, request.user)
            if response is not None:
                return response
        except NotPermitted as exc:
            messages.error(request, exc.message)
            return redirect("mfa:settings")
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            code_accepted(request)
            messages.success(request, "已解除绑定动态口令，今后登录只需密码。")
            return redirect("mfa:settings")
    return _page(request, remove_form=form)
