"""SMS through the gateway (see ``config.sms_gateway``): one JSON POST per message.

The request is ``{"id": key, "phone": …, "content": "【签名】标题：内容 链接"}`` with the key
again in ``X-Luoshi-Message-Id``. With a secret, ``X-Luoshi-Signature`` is the hex
HMAC-SHA256 of ``"{X-Luoshi-Timestamp}\\n{raw body}"``. The gateway accepts with a 2xx
answer, and, when it answers a JSON object with a ``code``, with ``code == 0``.
A row whose ``robot`` is an SMS ``ChannelConfig`` (a test message sent from 消息渠道) goes
through that gateway.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings

from luoshi.notify.channels import Result, http
from luoshi.notify.channels.config import sms_gateway
from luoshi.notify.links import absolute
from luoshi.notify.models import Channel, Outbox

GATEWAY = "短信网关"
MAX_CONTENT = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"\n" + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def content(row: Outbox) -> str:
    """The text of the SMS: at most 300 characters, the link always kept whole."""
    sign_name = getattr(settings, "LUOSHI_SMS_SIGN", "") or "落实"
    text = f"【{sign_name}】{row.subject}：{' '.join(row.body.split())}"
    link = absolute(row.link)
    room = MAX_CONTENT - (len(link) + 1 if link else 0)
    if len(text) > room:
        text = text[: max(room - 1, 0)] + "…"
    return f"{text} {link}" if link else text


def send(row: Outbox) -> Result:
    phone = (row.user.phone if row.user is not None else "").strip()
    if not phone:
        return Result(ok=False, error="收件人没有手机号码。", permanent=True)
    if row.robot is not None and row.robot.kind == Channel.SMS:
        # A test message from 消息渠道 goes through the gateway it was sent for.
        if not row.robot.enabled:
            return Result(ok=False, error=f"短信网关“{row.robot.name}”已停用。", permanent=True)
        gateway: tuple[str, str] | None = (row.robot.url, row.robot.secret)
    else:
        gateway = sms_gateway()
    if gateway is None:
        return Result(ok=False, error="未配置短信网关。")
    url, secret = gateway
    body = http.dumps({"id": row.key, "phone": phone, "content": content(row)})
    headers = http.message_headers(row.key)
    if secret:
        timestamp = str(int(time.time()))
        headers["X-Luoshi-Timestamp"] = timestamp
        headers["X-Luoshi-Signature"] = sign(secret, timestamp, body)
    answer = http.post(url, body, headers, gateway=GATEWAY)
    if isinstance(answer, Result):
        return answer
    status, text = answer
    data = http.json_body(text)
    if data is not None and "code" in data and str(data["code"]) != "0":
        message = data.get("message") or data.get("msg") or data.get("errmsg") or ""
        return Result(
            ok=False,
            error=f"{GATEWAY}拒绝发送（code={data['code']}）"
            + (f"：{message}" if message else "。"),
        )
    return Result(ok=True, detail=f"已提交{GATEWAY}（HTTP {status}），号码 {mask_phone(phone)}")


def mask_phone(phone: str) -> str:
    """138****5678: the attempt log need not show the whole number."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else phone
