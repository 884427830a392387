"""Reads for the 消息渠道 and 消息投递 pages and the operators' health check."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from django.db.models import Count, QuerySet

from luoshi.notify.channels.config import env_sms_gateway, sms_config
from luoshi.notify.models import ChannelConfig, Outbox, OutboxStatus

MASK = "******"


def mask_url(url: str) -> str:
    """The URL with its credentials hidden: query values (robot keys, tokens) and user:pass."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = MASK + "@" + netloc.rpartition("@")[2]
    query = "&".join(f"{name}={MASK}" for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    if parts.query and not query:
        query = MASK
    return urlunsplit(parts._replace(netloc=netloc, query=query, fragment=""))


def channel_configs() -> QuerySet[ChannelConfig]:
    return ChannelConfig.objects.select_related("unit").order_by("-enabled", "kind", "name", "id")


def sms_source() -> dict[str, Any]:
    """Where SMS go: the configured gateway, else ``LUOSHI_SMS_URL``, else nowhere."""
    config = sms_config()
    env = env_sms_gateway()
    return {
        "config": config,
        "env_url": mask_url(env[0]) if env else "",
        "env_secret": bool(env and env[1]),
        "source": "config" if config else "env" if env else "",
    }


def outbox_counts() -> dict[str, int]:
    """Rows per status, every status present (zero when none)."""
    counts = {status.value: 0 for status in OutboxStatus}
    for row in Outbox.objects.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def outbox_health() -> dict[str, int]:
    """The /healthz summary: messages waiting, being sent and failed for good."""
    counts = outbox_counts()
    return {
        "pending": counts[OutboxStatus.PENDING],
        "sending": counts[OutboxStatus.SENDING],
        "failed": counts[OutboxStatus.FAILED],
    }


def outbox_rows(status: str = "", channel: str = "") -> QuerySet[Outbox]:
    qs = Outbox.objects.select_related("user", "robot").order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    return qs
