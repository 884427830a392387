"""企业微信 group robot: a markdown message POSTed to the robot's webhook (key in the URL).

The robot accepts with ``{"errcode": 0}``. The content must stay under 4096 bytes.
"""

from __future__ import annotations

from luoshi.notify.channels import Result, http
from luoshi.notify.links import absolute
from luoshi.notify.models import Channel, Outbox

GATEWAY = "企业微信机器人"
MAX_BYTES = 4096


def _fit(text: str, room: int) -> str:
    """``text`` cut to at most ``room`` UTF-8 bytes, marked with … when cut."""
    raw = text.encode()
    if len(raw) <= room:
        return text
    ellipsis = "…".encode()
    return raw[: max(room - len(ellipsis), 0)].decode(errors="ignore") + "…"


def markdown(row: Outbox, *, heading: str, separator: str, limit: int) -> str:
    """Heading with the subject, the body's lines, and ``[查看](link)``: under ``limit`` bytes."""
    head = heading.format(subject=row.subject)
    link = absolute(row.link)
    tail = f"{separator}[查看]({link})" if link else ""
    lines = [line.strip() for line in row.body.splitlines() if line.strip()]
    body = separator.join(lines)
    # One byte of margin: the limit is exclusive ("under 4096 bytes").
    room = limit - 1 - len(head.encode()) - len(separator.encode()) - len(tail.encode())
    if room <= 0:
        return _fit(head + tail, limit - 1)
    return head + (separator + _fit(body, room) if body else "") + tail


def check_robot(row: Outbox, channel: str) -> Result | None:
    """A permanent failure when the row has no usable robot of ``channel``; None when fine."""
    robot = row.robot
    if robot is None:
        return Result(ok=False, error="消息没有对应的群机器人（可能已被删除）。", permanent=True)
    if not robot.enabled:
        return Result(ok=False, error=f"群机器人“{robot.name}”已停用。", permanent=True)
    if robot.kind != channel:
        return Result(
            ok=False, error=f"群机器人“{robot.name}”不是{Channel(channel).label}。", permanent=True
        )
    return None


def errcode_result(status: int, body: str, gateway: str, robot_name: str) -> Result:
    """Success when the robot answered ``errcode == 0``; else its ``errmsg`` in the error."""
    data = http.json_body(body)
    if data is None or "errcode" not in data:
        return Result(
            ok=False, error=f"{gateway}返回了无法识别的应答：{http.excerpt(body) or '（空）'}"
        )
    if str(data["errcode"]) != "0":
        errmsg = data.get("errmsg") or ""
        return Result(
            ok=False,
            error=f"{gateway}拒绝消息（errcode={data['errcode']}）"
            + (f"：{errmsg}" if errmsg else "。"),
        )
    return Result(ok=True, detail=f"已发送到群机器人“{robot_name}”（HTTP {status}）")


def send(row: Outbox) -> Result:
    problem = check_robot(row, Channel.WECOM)
    if problem is not None:
        return problem
    assert row.robot is not None
    content = markdown(row, heading="**{subject}**", separator="\n", limit=MAX_BYTES)
    payload = {"msgtype": "markdown", "markdown": {"content": content}}
    answer = http.post(row.robot.url, payload, http.message_headers(row.key), gateway=GATEWAY)
    if isinstance(answer, Result):
        return answer
    return errcode_result(*answer, gateway=GATEWAY, robot_name=row.robot.name)
