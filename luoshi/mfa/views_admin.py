"""动态口令管理: the 安全管理员's list of users with their second-factor status, and the reset
of a user's device (lost or replaced phone)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from luoshi.accounts.roles import ROLE_GRANTERS
from luoshi.core.decorators import role_required
from luoshi.core.errors import ServiceError
from luoshi.core.forms import add_service_error
from luoshi.core.types import AuthedRequest
from luoshi.mfa import selectors, services, totp
from luoshi.mfa.forms import DeviceFilterForm, ResetForm


@role_required(ROLE_GRANTERS)
def device_list(request: AuthedRequest) -> HttpResponse:
    form = DeviceFilterForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    qs = selectors.users_with_status(
        request.user, chosen.get("q", ""), chosen.get("status", "")
    ).select_related("unit")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mfa/device_list.html",
        {"page": page, "form": form, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@role_required(ROLE_GRANTERS)
def device_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_for_secadmin(request.user, pk)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.device_reset(
                request.user, account, reason=form.cleaned_data["reason"], request=request
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"已重置“{account.display_name}”的动态口令，其下次登录时须重新绑定。"
            )
            return redirect("mfa:devices")
    device = services.device_of(account)
    return render(
        request,
        "mfa/device_detail.html",
        {
            "account": account,
            "device": device,
            "last_used": totp.step_time(device.last_used_step) if device else None,
            "form": form,
            "is_self": account.pk == request.user.pk,
        },
    )
