"""What the audit needs to know about the current request, wherever it is asked."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


@dataclass
class RequestAudit:
    request: Any
    request_id: str
    # Model changes seen during the request: (label, pk, action, before, after).
    changes: list[dict[str, Any]] = field(default_factory=list)
    # Set by an explicit record that already tells the whole story (login, logout).
    handled: bool = False
    # Failures recorded inside a transaction, written when the request ends.
    deferred: list[dict[str, Any]] = field(default_factory=list)


current: ContextVar[RequestAudit | None] = ContextVar("luoshi_audit_request", default=None)


def new_request_id(request: Any) -> str:
    """The proxy's ``X-Request-ID`` when it looks like one, so logs line up; else a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def for_request(request: Any) -> RequestAudit | None:
    state = current.get()
    if state is not None and (request is None or state.request is request):
        return state
    if request is not None:
        found = getattr(request, "_luoshi_audit", None)
        if found is not None:
            return found
        # DRF wraps the Django request.
        inner = getattr(request, "_request", None)
        if inner is not None:
            return getattr(inner, "_luoshi_audit", None)
    return state
