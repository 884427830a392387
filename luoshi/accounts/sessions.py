"""Server-side session limits: an idle timeout and an absolute lifetime (等保 2.0 三级).

The login time and the last activity are kept in the session itself. The cookie's age
(``LUOSHI_SESSION_SECONDS``) is only an upper bound; these limits come from the security
policy and are checked on every request, so a copied cookie dies on the server too.
Background polls (the notification bell) are not activity: a screen left open must still
time out.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from luoshi.accounts.policy import current_policy, request_scope
from luoshi.audit.events import Event
from luoshi.audit.services import audit

LOGIN_AT = "_luoshi_login_at"
SEEN_AT = "_luoshi_seen_at"
# Activity is written back at most this often, not on every request.
TOUCH_SECONDS = 30
# Requests htmx makes by itself on a timer.
POLL_URL_NAMES = ("notify:unread_count",)
IDLE_MESSAGE = "长时间未操作，已自动退出，请重新登录。"
ABSOLUTE_MESSAGE = "登录已超过 {hours} 小时，已自动退出，请重新登录。"


@cache
def _poll_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in POLL_URL_NAMES)


def is_background_poll(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.path in _poll_paths()


@receiver(user_logged_in)
def _stamp_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from luoshi.accounts.lockout import reset_name

    reset_name(user.get_username())
    # A new login in the same browser keeps the session's data: start the clocks again.
    session = getattr(request, "session", None)
    if session is not None:
        now = timezone.now().timestamp()
        session[LOGIN_AT] = now
        session[SEEN_AT] = now


def expiry_reason(session: Any, now: float) -> str | None:
    """ "idle", "absolute" or None for a signed-in session at ``now`` (epoch seconds)."""
    login_at = session.get(LOGIN_AT)
    if login_at is None:
        return None
    policy = current_policy()
    if now - float(login_at) > policy.absolute_hours * 3600:
        return "absolute"
    if now - float(session.get(SEEN_AT, login_at)) > policy.idle_minutes * 60:
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """Ends sessions idle too long or open too long; also scopes the policy to the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            response = self._check(request)
            if response is not None:
                return response
            return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        session = request.session
        now = timezone.now().timestamp()
        if session.get(LOGIN_AT) is None:
            # A session from before these limits (or a test's force_login): start now.
            session[LOGIN_AT] = now
            session[SEEN_AT] = now
            return None
        reason = expiry_reason(session, now)
        if reason is not None:
            return self._expire(request, user, reason)
        if not is_background_poll(request) and now - float(session.get(SEEN_AT, 0)) >= (
            TOUCH_SECONDS
        ):
            session[SEEN_AT] = now
        return None

    def _expire(self, request: HttpRequest, user: Any, reason: str) -> HttpResponse:
        policy = current_policy()
        if reason == "idle":
            message, detail = IDLE_MESSAGE, f"超过 {policy.idle_minutes} 分钟未操作"
        else:
            message = ABSOLUTE_MESSAGE.format(hours=policy.absolute_hours)
            detail = f"登录超过 {policy.absolute_hours} 小时"
        audit(Event.SESSION_EXPIRED, request=request, actor=user, detail=f"会话超时：{detail}")
        # flush() deletes the row from the session store, not only the cookie.
        request.session.flush()
        request.user = AnonymousUser()
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "session_expired"}, status=401)
        messages.info(request, message)
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=200)
            response["HX-Redirect"] = _login_url(request.headers.get("HX-Current-URL", ""))
            return response
        if request.method == "GET":
            return redirect_to_login(request.get_full_path())
        return HttpResponseRedirect(reverse("accounts:login"))


def _login_url(current: str) -> str:
    """The login page, coming back to the page that was open (a local path only)."""
    parts = urlsplit(current)
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else ""
    if path:
        return redirect_to_login(path + (f"?{parts.query}" if parts.query else ""))["Location"]
    return reverse("accounts:login")
