"""Who is on the other end of a request: the client address, behind a proxy or not."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str:
    """The client's address; ``X-Forwarded-For`` counts only behind our own HTTPS proxy,
    where the proxy (not the client) appends the last hop."""
    meta = getattr(request, "META", {}) or {}
    if getattr(settings, "HTTPS", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops and _valid(hops[-1]):
            return hops[-1]
    addr = meta.get("REMOTE_ADDR", "") or ""
    return addr if _valid(addr) else ""


def _valid(addr: str) -> bool:
    try:
        ipaddress.ip_address(addr)
    except ValueError:
        return False
    return True
