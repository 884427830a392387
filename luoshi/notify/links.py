"""Absolute links for messages read outside the application (e-mail, SMS, robots)."""

from __future__ import annotations

from django.conf import settings


def absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.LUOSHI_BASE_URL + (link if link.startswith("/") else "/" + link)
