"""What a person reads of their own messages: the unread count for the bell, the list, one
message. Every read is scoped to the user: another person's message does not exist."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from luoshi.notify.models import Notification, NotificationPreference

# The bell shows at most this number; above it reads "99+".
BELL_MAX = 99


def unread_count(user: Any) -> int:
    """One COUNT over the ``notification_unread`` index (user, read_at)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


class Bell:
    """The bell in the top bar; the count is read once, and only when a template shows it."""

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(self._user)

    @property
    def shown(self) -> str:
        return f"{BELL_MAX}+" if self.unread > BELL_MAX else str(self.unread)


def bell_for(request: HttpRequest) -> Bell:
    """The request's bell: every template rendered for one request shares one count."""
    bell = getattr(request, "_luoshi_bell", None)
    if bell is None:
        bell = Bell(request.user)
        request._luoshi_bell = bell  # type: ignore[attr-defined]
    return bell


def notifications_for(user: Any, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's messages, newest first; only the unread ones with ``unread``."""
    qs = Notification.objects.filter(user=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_get_for_user(user: Any, pk: int) -> Notification:
    found = Notification.objects.filter(user=user, pk=pk).first()
    if found is None:
        raise Http404("消息不存在")
    return found


def preference_for(user: Any) -> NotificationPreference:
    """The saved choices, or the defaults (both on) when the person never chose."""
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref or NotificationPreference(user=user)


def local_link(link: str, host: str) -> str:
    """``link`` when it stays on this site (a path, or this host), else an empty string."""
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={host}):
        return link
    return ""


def when(moment: datetime, now: datetime | None = None) -> str:
    """A short relative time in Chinese: 刚刚, 5 分钟前, 3 小时前, 昨天 16:20, 11月2日 09:30."""
    now = timezone.localtime(now or timezone.now())
    local = timezone.localtime(moment)
    seconds = (now - local).total_seconds()
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟前"
    days = (now.date() - local.date()).days
    if days == 0:
        return f"{int(seconds // 3600)} 小时前"
    if days == 1:
        return f"昨天 {local:%H:%M}"
    if local.year == now.year:
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local.year}年{local.month}月{local.day}日"
