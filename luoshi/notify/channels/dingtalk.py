"""钉钉 group robot: a markdown message POSTed to the robot's webhook.

With a secret (加签), the URL gets ``timestamp`` (milliseconds) and ``sign`` =
urlquote(base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}"))). The robot accepts with
``{"errcode": 0}``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus, urlsplit, urlunsplit

from luoshi.notify.channels import Result, http
from luoshi.notify.channels.wecom import check_robot, errcode_result, markdown
from luoshi.notify.models import Channel, Outbox

GATEWAY = "钉钉机器人"
MAX_BYTES = 4096


def sign(secret: str, timestamp: str) -> str:
    """The url-quoted signature 钉钉 expects for ``timestamp`` (ms) and ``secret``."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str, timestamp: str | None = None) -> str:
    timestamp = timestamp or str(int(time.time() * 1000))
    parts = urlsplit(url)
    extra = f"timestamp={timestamp}&sign={sign(secret, timestamp)}"
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


def send(row: Outbox) -> Result:
    problem = check_robot(row, Channel.DINGTALK)
    if problem is not None:
        return problem
    robot = row.robot
    assert robot is not None
    url = signed_url(robot.url, robot.secret) if robot.secret else robot.url
    text = markdown(row, heading="#### {subject}", separator="\n\n", limit=MAX_BYTES)
    payload = {"msgtype": "markdown", "markdown": {"title": row.subject, "text": text}}
    answer = http.post(url, payload, http.message_headers(row.key), gateway=GATEWAY)
    if isinstance(answer, Result):
        return answer
    return errcode_result(*answer, gateway=GATEWAY, robot_name=robot.name)
