from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from luoshi.accounts.policy import current_policy

EXPIRED_MESSAGE = "密码已超过 {days} 天未修改，请先修改密码再继续使用。"


def password_expired(user: Any) -> bool:
    changed = getattr(user, "password_changed_at", None)
    if changed is None:
        return False
    return timezone.now() - changed > timedelta(days=current_policy().max_age_days)


def _allowed(request: HttpRequest) -> bool:
    if request.path in (reverse("accounts:password_change"), reverse("accounts:logout")):
        return True
    if request.path.startswith(("/static/", "/healthz")):
        return True
    # The second-factor pages belong to logging in.
    try:
        return resolve(request.path_info).namespace == "mfa"
    except Resolver404:
        return False


class PasswordChangeRequiredMiddleware:
    """An account with an initial, reset or expired password may do nothing but change it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not _allowed(request)
            and (getattr(user, "must_change_password", False) or password_expired(user))
        ):
            # The password page says why (an initial or an expired password).
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=200)
                response["HX-Redirect"] = reverse("accounts:password_change")
                return response
            return redirect("accounts:password_change")
        return self.get_response(request)
