"""One audit record per request that changed something, was refused, or sent a file.

Reads of ordinary pages are not recorded (the log would drown in them); writes, denials
(403, and 404 for a signed-in user, which is how another unit's object answers),
downloads and exports are. The record carries the model changes seen during the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve

from luoshi.audit import context
from luoshi.audit.events import Event
from luoshi.audit.services import audit, flush_deferred

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SKIPPED_PREFIXES = ("/static/", "/healthz")


def classify(request: HttpRequest, response: HttpResponse) -> str | None:
    status = response.status_code
    if status in (401, 403) or (status == 404 and request.user.is_authenticated):
        return Event.DENIED
    if status == 302 and not request.user.is_authenticated and _to_login(response):
        return Event.DENIED  # an anonymous visitor sent to sign in
    if request.method not in SAFE_METHODS:
        return Event.WRITE
    if status == 200 and response.has_header("Content-Disposition"):
        return Event.EXPORT if "export" in _url_name(request) else Event.DOWNLOAD
    return None


def _to_login(response: HttpResponse) -> bool:
    return response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL) + "?")


def _url_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return ""
    return match.view_name or ""


def _object(request: HttpRequest) -> tuple[str, str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", ""
    key = next((k for k in ("pk", "id", "user_pk") if k in match.kwargs), None)
    return match.view_name or "", str(match.kwargs[key]) if key else ""


def _form_data(request: HttpRequest) -> dict[str, object] | None:
    if request.method in SAFE_METHODS:
        return None
    data: dict[str, object] = {}
    try:
        for key, values in request.POST.lists():
            data[key] = values if len(values) > 1 else values[0]
        files = [getattr(f, "name", "") for f in request.FILES.values()]
    except Exception:  # a body the view parsed itself (JSON API) or an aborted upload
        files = []
    data.pop("csrfmiddlewaretoken", None)
    if files:
        data["上传文件"] = files
    return data or None


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(SKIPPED_PREFIXES):
            return self.get_response(request)
        state = context.RequestAudit(request=request, request_id=context.new_request_id(request))
        request._luoshi_audit = state  # type: ignore[attr-defined]
        token = context.current.set(state)
        response: HttpResponse | None = None
        try:
            response = self.get_response(request)
            return response
        finally:
            try:
                if response is not None:
                    response["X-Request-ID"] = state.request_id
                    self._record(request, response, state)
                else:
                    self._record_error(request, state)
                # Last: the records above may themselves be failures held back.
                flush_deferred(state)
            except Exception:
                # Failing to audit must be loud, but must not turn a done write into a 500.
                log.exception("审计记录写入失败：%s %s", request.method, request.path)
                if getattr(settings, "LUOSHI_AUDIT_STRICT", False):
                    raise
            finally:
                context.current.reset(token)

    def _record(
        self, request: HttpRequest, response: HttpResponse, state: context.RequestAudit
    ) -> None:
        if state.handled:
            return
        event = classify(request, response)
        if event is None:
            return
        view, object_id = _object(request)
        detail = ""
        if event in (Event.DOWNLOAD, Event.EXPORT):
            detail = response.get("Content-Disposition", "")[:300]
        before, after = _changes(state)
        if event == Event.WRITE:
            after = {"表单": _form_data(request), **(after or {})}
        audit(
            event, request=request, object_type=view, object_id=object_id,
            success=response.status_code < 400, status_code=response.status_code,
            before=before, after=after, detail=detail,
        )  # fmt: skip

    def _record_error(self, request: HttpRequest, state: context.RequestAudit) -> None:
        if request.method in SAFE_METHODS:
            return
        view, object_id = _object(request)
        audit(Event.WRITE, request=request, object_type=view, object_id=object_id,
              success=False, status_code=500, detail="服务器内部错误")  # fmt: skip


def _changes(state: context.RequestAudit) -> tuple[dict | None, dict | None]:
    if not state.changes:
        return None, None
    before = {}
    after = {}
    for n, change in enumerate(state.changes[:50]):
        key = (
            f"{change['model']}#{change['pk']}"
            if change["pk"] is not None
            else f"{change['model']}[{n}]"
        )
        if change["before"] is not None:
            before[key] = change["before"]
        after[key] = change["after"] if change["action"] != "deleted" else "（已删除）"
    return before or None, after
