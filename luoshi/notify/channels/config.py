"""Where the gateways are: the SMS gateway from 消息渠道, else from the environment."""

from __future__ import annotations

from django.conf import settings

from luoshi.notify.models import Channel, ChannelConfig


def sms_config() -> ChannelConfig | None:
    """The SMS gateway configured on the 消息渠道 page: the first enabled one."""
    return (
        ChannelConfig.objects.filter(kind=Channel.SMS, enabled=True).order_by("name", "id").first()
    )


def env_sms_gateway() -> tuple[str, str] | None:
    """``LUOSHI_SMS_URL`` / ``LUOSHI_SMS_SECRET``, None when the URL is not set."""
    url = (getattr(settings, "LUOSHI_SMS_URL", "") or "").strip()
    if not url:
        return None
    return url, getattr(settings, "LUOSHI_SMS_SECRET", "") or ""


def sms_gateway() -> tuple[str, str] | None:
    """(url, secret) of the SMS gateway; the page's configuration wins over the environment.

    None when neither is set: the message waits for its retries, in case an administrator
    configures a gateway meanwhile.
    """
    config = sms_config()
    if config is not None:
        return config.url, config.secret
    return env_sms_gateway()
