from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.accounts import lockout, selectors, services
from luoshi.accounts.access import scope_q
from luoshi.accounts.forms import (
    GrantForm,
    LoginForm,
    PasswordChangeForm,
    SecurityPolicyForm,
    UserForm,
)
from luoshi.accounts.middleware import EXPIRED_MESSAGE, password_expired
from luoshi.accounts.models import RoleGrant
from luoshi.accounts.policy import current_policy
from luoshi.accounts.roles import ROLE_GRANTERS, USER_MANAGERS
from luoshi.core import masking
from luoshi.core.client import client_ip
from luoshi.core.decorators import role_required
from luoshi.core.errors import ServiceError
from luoshi.core.forms import add_service_error
from luoshi.core.types import AuthedRequest
from luoshi.org.models import Unit
from luoshi.org.selectors import managed_units_for, unit_choices


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = client_ip(request)
        if lockout.is_rate_limited(address):
            lockout.note_rate_limited(request, address)
            response = render(request, "429.html", {"minutes": 1}, status=429)
            response["Retry-After"] = "60"
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        # The password was right and the name and address are not locked; the second
        # factor, when the account needs one, logs the user in itself.
        from luoshi.mfa.flow import begin_login

        response = begin_login(self.request, form.get_user())
        if response is not None:
            return response
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    expired = password_expired(request.user) and not request.user.must_change_password
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                request.user,
                form.cleaned_data["old_password"],
                form.cleaned_data["new_password"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("workbench:home")
    context = {
        "form": form,
        "expired": expired,
        "expired_message": EXPIRED_MESSAGE.format(days=current_policy().max_age_days),
    }
    return render(request, "accounts/password_change.html", context)


def _unit_from_choice(units_qs: QuerySet[Unit], pk: int) -> Unit:
    unit = units_qs.filter(pk=pk).first()
    if unit is None:
        raise Http404("单位不存在")
    return unit


@role_required(USER_MANAGERS)
def user_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    qs = selectors.search_users(selectors.users_managed_by(request.user), q).order_by(
        "unit__path", "username"
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


def _user_form(request: AuthedRequest, initial: dict[str, Any] | None = None) -> UserForm:
    form = UserForm(request.POST or None, initial=initial)
    form.fields["unit"].choices = unit_choices(  # type: ignore[attr-defined]
        managed_units_for(request.user).filter(is_active=True)
    )
    return form


@role_required(USER_MANAGERS)
def user_create(request: AuthedRequest) -> HttpResponse:
    form = _user_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(
                request.user,
                username=data["username"],
                name=data["name"],
                unit=_unit_from_choice(managed_units_for(request.user), data["unit"]),
                title=data["title"],
                phone=data["phone"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return render(
                request, "accounts/user_password.html", {"account": user, "password": password}
            )
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@role_required(USER_MANAGERS)
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_for_manager(request.user, pk)
    if request.method == "GET" and account.phone:
        masking.reveal(request, account)  # the form shows the full number: audited
    form = _user_form(
        request,
        initial={
            "username": account.username,
            "name": account.name,
            "unit": account.unit_id,
            "title": account.title,
            "phone": account.phone,
        },
    )
    form.fields["username"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                request.user,
                account,
                name=data["name"],
                unit=_unit_from_choice(managed_units_for(request.user), data["unit"]),
                title=data["title"],
                phone=data["phone"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存用户“{account.display_name}”。")
            return redirect("accounts:user_list")
    return render(
        request, "accounts/user_form.html", {"form": form, "creating": False, "account": account}
    )


@require_POST
@role_required(USER_MANAGERS)
def user_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_for_manager(request.user, pk)
    try:
        services.user_set_active(request.user, account, not account.is_active)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        state = "停用" if account.is_active else "启用"
        messages.success(request, f"已{state}用户“{account.display_name}”。")
    return redirect("accounts:user_list")


@require_POST
@role_required(USER_MANAGERS)
def user_reset_password(request: AuthedRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_for_manager(request.user, pk)
    password = services.user_reset_password(request.user, account)
    return render(
        request, "accounts/user_password.html", {"account": account, "password": password}
    )


@role_required(ROLE_GRANTERS)
def grant_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    qs = selectors.search_users(selectors.users_grantable_by(request.user), q).order_by(
        "unit__path", "username"
    )
    page = Paginator(qs.prefetch_related("grants__unit"), 20).get_page(request.GET.get("page"))
    return render(request, "accounts/grant_list.html", {"page": page, "q": q})


@role_required(ROLE_GRANTERS)
def grant_create(request: AuthedRequest, user_pk: int) -> HttpResponse:
    account = selectors.users_grantable_by(request.user).filter(pk=user_pk).first()
    if account is None:
        raise Http404("用户不存在")
    scope_units = Unit.objects.filter(scope_q(request.user, ROLE_GRANTERS), is_active=True)
    form = GrantForm(request.POST or None, initial={"user": account.pk, "unit": account.unit_id})
    form.fields["unit"].choices = unit_choices(scope_units)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.role_grant(
                request.user,
                account,
                form.cleaned_data["role"],
                _unit_from_choice(scope_units, form.cleaned_data["unit"]),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已授权：{grant}。")
            return redirect("accounts:grant_create", user_pk=account.pk)
    grants = RoleGrant.objects.filter(user=account).select_related("unit")
    return render(
        request, "accounts/grant_form.html", {"form": form, "account": account, "grants": grants}
    )


@require_POST
@role_required(ROLE_GRANTERS)
def grant_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for_granter(request.user, pk)
    try:
        services.role_revoke(request.user, grant)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销授权：{grant}。")
    return redirect("accounts:grant_create", user_pk=grant.user_id)


@role_required(ROLE_GRANTERS)
def security_policy(request: AuthedRequest) -> HttpResponse:
    policy = current_policy()
    initial = {name: getattr(policy, name) for name in services.POLICY_FIELDS}
    initial["mfa_roles"] = sorted(policy.mfa_role_set)
    form = SecurityPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "安全策略已保存。")
            return redirect("accounts:security_policy")
    return render(
        request,
        "accounts/security_policy.html",
        {
            "form": form,
            "policy": policy,
            "groups": [
                ("密码", form.password_fields()),
                ("登录失败处理", form.login_fields()),
                ("会话与账户", form.session_fields()),
            ],
            "locks": lockout.current_locks(),
        },
    )


@require_POST
@role_required(ROLE_GRANTERS)
def lock_release(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        lock = services.login_lock_release(request.user, pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已解除锁定：{lock.get_scope_display()} {lock.key}。")
    return redirect("accounts:security_policy")
