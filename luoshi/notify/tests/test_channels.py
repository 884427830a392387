"""The HTTP channels against a local gateway: SMS, 企业微信 and 钉钉 robots, and the outbox
delivering through them with retries."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import quote_plus

import pytest
import time_machine

from conftest import SHANGHAI
from luoshi.accounts.models import User
from luoshi.notify import outbox
from luoshi.notify.channels import Result, dingtalk, http, sms, wecom
from luoshi.notify.channels.config import sms_gateway
from luoshi.notify.models import Channel, ChannelConfig, DeliveryAttempt, Outbox, OutboxStatus
from luoshi.notify.tests.http_sink import HttpSink, Reply, unused_port

pytestmark = pytest.mark.django_db

# A working Monday morning: SMS and robot messages go out at once.
AT_TEN = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
BASE = "https://ducha.example.gov.cn"


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as server:
        yield server


@pytest.fixture
def clock(calendar_seeded):
    with time_machine.travel(AT_TEN, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def gateway_settings(settings):
    settings.LUOSHI_BASE_URL = BASE
    settings.LUOSHI_SMS_URL = ""
    settings.LUOSHI_SMS_SECRET = ""
    settings.LUOSHI_SMS_SIGN = "落实"
    settings.LUOSHI_HTTP_TIMEOUT_SECONDS = 5
    return settings


def sms_row(phone: str = "13800138000", **fields) -> Outbox:
    values = {
        "key": "remind:task7:2026-11-25:u3:sms",
        "channel": Channel.SMS,
        "kind": "reminder",
        "subject": "督办提醒",
        "body": "“老旧小区改造”将于11月25日到期，请及时反馈进展。",
        "link": "/tasks/7/",
        "user": User(username="u3", name="赵敏", phone=phone),
    }
    values.update(fields)
    return Outbox(**values)


def robot_row(robot: ChannelConfig | None, **fields) -> Outbox:
    values = {
        "key": "digest:unit5:2026-11-23:r1",
        "channel": robot.kind if robot else Channel.WECOM,
        "kind": "digest",
        "subject": "今日督办事项",
        "body": "红灯 1 项：老旧小区改造\n黄灯 2 项：背街小巷整治、排水管网",
        "link": "/tasks/?light=red",
        "robot": robot,
    }
    values.update(fields)
    return Outbox(**values)


def expected_signature(secret: str, timestamp: str, raw: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"\n" + raw, hashlib.sha256).hexdigest()


# --- SMS --------------------------------------------------------------------------------


def test_sms_posts_the_message_signed_with_the_idempotency_id(settings, clock, sink) -> None:
    settings.LUOSHI_SMS_URL = sink.url("/sms/send")
    settings.LUOSHI_SMS_SECRET = "gateway-secret"
    settings.LUOSHI_SMS_SIGN = "某市督查"
    sink.reply((200, {"code": 0, "message": "ok"}))

    result = sms.send(sms_row())

    assert result.ok, result.error
    request = sink.last
    assert request.method == "POST" and request.path == "/sms/send"
    assert request.json == {
        "id": "remind:task7:2026-11-25:u3:sms",
        "phone": "13800138000",
        "content": "【某市督查】督办提醒：“老旧小区改造”将于11月25日到期，请及时反馈进展。 "
        f"{BASE}/tasks/7/",
    }
    assert request.header("Content-Type").startswith("application/json")
    assert request.header("X-Luoshi-Message-Id") == "remind:task7:2026-11-25:u3:sms"
    timestamp = request.header("X-Luoshi-Timestamp")
    assert timestamp == str(int(AT_TEN.timestamp()))
    # The signature covers the exact bytes received.
    assert request.header("X-Luoshi-Signature") == expected_signature(
        "gateway-secret", timestamp, request.raw
    )
    assert request.header("X-Luoshi-Signature") != expected_signature(
        "another-secret", timestamp, request.raw
    )
    assert "138****8000" in result.detail


def test_sms_without_a_secret_is_not_signed(settings, clock, sink) -> None:
    settings.LUOSHI_SMS_URL = sink.url("/sms")
    sink.reply((200, "OK"))  # not JSON: a 2xx answer is enough
    assert sms.send(sms_row()).ok
    assert sink.last.header("X-Luoshi-Signature") is None
    assert sink.last.header("X-Luoshi-Timestamp") is None
    assert sink.last.header("X-Luoshi-Message-Id") == "remind:task7:2026-11-25:u3:sms"


def test_sms_gateway_refusing_with_a_code_is_a_failure(settings, clock, sink) -> None:
    settings.LUOSHI_SMS_URL = sink.url("/sms")
    sink.reply((200, {"code": 1024, "message": "余额不足"}))
    result = sms.send(sms_row())
    assert not result.ok and not result.permanent
    assert result.error == "短信网关拒绝发送（code=1024）：余额不足"


def test_sms_content_is_cut_to_300_characters_keeping_the_link(settings, clock, sink) -> None:
    settings.LUOSHI_SMS_URL = sink.url("/sms")
    sms.send(sms_row(body="很长的内容。" * 100, link="/tasks/7/?from=sms"))
    content = sink.last.json["content"]
    assert len(content) == 300
    assert content.endswith(f"… {BASE}/tasks/7/?from=sms")
    assert content.startswith("【落实】督办提醒：很长的内容。")


def test_sms_needs_a_phone_number_and_a_gateway(settings, clock, sink) -> None:
    settings.LUOSHI_SMS_URL = sink.url("/sms")
    assert sms.send(sms_row(phone="")) == Result(
        ok=False, error="收件人没有手机号码。", permanent=True
    )
    settings.LUOSHI_SMS_URL = ""
    assert sms_gateway() is None
    # Not permanent: an administrator may configure the gateway before the next retry.
    assert sms.send(sms_row()) == Result(ok=False, error="未配置短信网关。")
    assert sink.requests == []


def test_the_configured_sms_gateway_wins_over_the_environment(settings, clock, sink) -> None:
    settings.LUOSHI_SMS_URL = "http://127.0.0.1:9/env"
    settings.LUOSHI_SMS_SECRET = "env-secret"
    assert sms_gateway() == ("http://127.0.0.1:9/env", "env-secret")
    ChannelConfig.objects.create(
        kind=Channel.SMS, name="停用的网关", url="http://127.0.0.1:9/off", enabled=False
    )
    assert sms_gateway() == ("http://127.0.0.1:9/env", "env-secret")
    ChannelConfig.objects.create(
        kind=Channel.SMS, name="短信平台", url=sink.url("/db"), secret="db-secret"
    )
    assert sms_gateway() == (sink.url("/db"), "db-secret")
    assert sms.send(sms_row()).ok
    request = sink.last
    assert request.path == "/db"
    assert request.header("X-Luoshi-Signature") == expected_signature(
        "db-secret", request.header("X-Luoshi-Timestamp"), request.raw
    )


# --- 企业微信 ---------------------------------------------------------------------------


def test_wecom_posts_markdown_to_the_webhook(clock, sink) -> None:
    robot = ChannelConfig(
        kind=Channel.WECOM,
        name="住建局工作群",
        url=sink.url("/cgi-bin/webhook/send?key=abc-123"),
    )
    sink.reply((200, {"errcode": 0, "errmsg": "ok"}))

    result = wecom.send(robot_row(robot))

    assert result.ok, result.error
    assert "住建局工作群" in result.detail
    request = sink.last
    assert request.path == "/cgi-bin/webhook/send"
    assert request.param("key") == "abc-123"
    assert request.header("X-Luoshi-Message-Id") == "digest:unit5:2026-11-23:r1"
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**今日督办事项**\n红灯 1 项：老旧小区改造\n黄灯 2 项：背街小巷整治、排水管网\n"
            f"[查看]({BASE}/tasks/?light=red)"
        },
    }


def test_wecom_keeps_long_messages_under_4096_bytes(clock, sink) -> None:
    robot = ChannelConfig(kind=Channel.WECOM, name="群", url=sink.url("/send?key=k"))
    assert wecom.send(robot_row(robot, body="第一行很长的督办内容" * 300)).ok
    content = sink.last.json["markdown"]["content"]
    assert len(content.encode()) < 4096
    assert content.startswith("**今日督办事项**\n第一行")
    assert content.endswith(f"…\n[查看]({BASE}/tasks/?light=red)")


def test_wecom_errcode_is_a_failure_with_its_message(clock, sink) -> None:
    robot = ChannelConfig(kind=Channel.WECOM, name="群", url=sink.url("/send?key=bad"))
    sink.reply((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
    result = wecom.send(robot_row(robot))
    assert not result.ok
    assert result.error == "企业微信机器人拒绝消息（errcode=93000）：invalid webhook url"
    sink.reply((200, "<html>网关错误</html>"))
    result = wecom.send(robot_row(robot))
    assert not result.ok and "无法识别的应答" in result.error


def test_a_missing_or_disabled_robot_fails_for_good(clock, sink) -> None:
    result = wecom.send(robot_row(None))
    assert not result.ok and result.permanent and "群机器人" in result.error
    off = ChannelConfig(kind=Channel.DINGTALK, name="已撤的群", url=sink.url("/x"), enabled=False)
    result = dingtalk.send(robot_row(off))
    assert result == Result(ok=False, error="群机器人“已撤的群”已停用。", permanent=True)
    assert sink.requests == []


# --- 钉钉 ------------------------------------------------------------------------------


def test_dingtalk_signs_the_url_and_posts_markdown(clock, sink) -> None:
    secret = "SECabc123"
    robot = ChannelConfig(
        kind=Channel.DINGTALK,
        name="生态局工作群",
        url=sink.url("/robot/send?access_token=tok"),
        secret=secret,
    )
    sink.reply((200, {"errcode": 0, "errmsg": "ok"}))

    result = dingtalk.send(robot_row(robot))

    assert result.ok, result.error
    request = sink.last
    assert request.path == "/robot/send"
    assert request.param("access_token") == "tok"
    timestamp = request.param("timestamp")
    assert timestamp == str(int(AT_TEN.timestamp() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    # parse_qs decoded the query once: what arrives is the base64 signature itself.
    assert request.param("sign") == base64.b64encode(digest).decode()
    assert dingtalk.sign(secret, timestamp) == quote_plus(base64.b64encode(digest).decode())
    assert request.header("X-Luoshi-Message-Id") == "digest:unit5:2026-11-23:r1"
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "title": "今日督办事项",
            "text": "#### 今日督办事项\n\n红灯 1 项：老旧小区改造\n\n黄灯 2 项：背街小巷整治、排水管网\n\n"
            f"[查看]({BASE}/tasks/?light=red)",
        },
    }


def test_dingtalk_without_a_secret_sends_no_signature(clock, sink) -> None:
    robot = ChannelConfig(
        kind=Channel.DINGTALK, name="群", url=sink.url("/robot/send?access_token=tok")
    )
    assert dingtalk.send(robot_row(robot)).ok
    assert sink.last.param("timestamp") is None and sink.last.param("sign") is None


def test_dingtalk_errcode_is_a_failure_with_its_message(clock, sink) -> None:
    robot = ChannelConfig(
        kind=Channel.DINGTALK,
        name="群",
        url=sink.url("/robot/send?access_token=t"),
        secret="SECx",
    )
    sink.reply((200, {"errcode": 310000, "errmsg": "sign not match"}))
    result = dingtalk.send(robot_row(robot))
    assert not result.ok and not result.permanent
    assert result.error == "钉钉机器人拒绝消息（errcode=310000）：sign not match"


# --- transport failures -------------------------------------------------------------------


def test_a_gateway_that_does_not_answer_in_time(settings, clock, sink) -> None:
    settings.LUOSHI_HTTP_TIMEOUT_SECONDS = 0.3
    sink.reply(Reply(200, '{"errcode":0}', delay=1.5))
    robot = ChannelConfig(kind=Channel.WECOM, name="群", url=sink.url("/slow?key=k"))
    result = wecom.send(robot_row(robot))
    assert not result.ok and not result.permanent
    assert result.error == f"企业微信机器人（{sink.base_url[7:]}）在 0.3 秒内没有响应（超时）。"


def test_a_gateway_that_refuses_connections(settings, clock) -> None:
    port = unused_port()
    settings.LUOSHI_SMS_URL = f"http://127.0.0.1:{port}/sms"
    result = sms.send(sms_row())
    assert not result.ok and not result.permanent
    assert result.error == f"无法连接短信网关（127.0.0.1:{port}）：连接被拒绝。"


def test_a_gateway_answering_an_http_error(clock, sink) -> None:
    sink.reply((502, "Bad Gateway"), (404, ""))
    robot = ChannelConfig(
        kind=Channel.DINGTALK, name="群", url=sink.url("/robot/send?access_token=t")
    )
    assert dingtalk.send(robot_row(robot)).error == "钉钉机器人返回 HTTP 502：Bad Gateway"
    assert dingtalk.send(robot_row(robot)).error == "钉钉机器人返回 HTTP 404。"


def test_post_json_does_not_follow_redirects_or_other_schemes(clock, sink) -> None:
    sink.reply(Reply(302, ""))
    assert http.post_json(sink.url("/moved"), {"a": 1})[0] == 302
    assert len(sink.requests) == 1
    result = http.post("file:///etc/passwd", {}, gateway="短信网关")
    assert isinstance(result, Result) and result.permanent
    assert result.error == "短信网关配置有误：地址必须以 http:// 或 https:// 开头。"


# --- through the outbox -------------------------------------------------------------------


@pytest.fixture
def liaison(users):
    user = users["liaison_a"]
    user.phone = "13900139000"
    user.save(update_fields=["phone"])
    return user


def queue_sms(user, key: str = "remind:1") -> Outbox:
    row = outbox.enqueue(
        key=key, channel=Channel.SMS, kind="reminder", subject="督办提醒",
        body="请反馈进展。", link="/tasks/1/", user=user,
    )  # fmt: skip
    assert row is not None
    return row


def test_a_queued_sms_is_delivered_once_and_recorded(settings, clock, sink, liaison) -> None:
    settings.LUOSHI_SMS_URL = sink.url("/sms")
    sink.reply((200, {"code": 0}))
    row = queue_sms(liaison)

    assert outbox.deliver_due(runner="test") == {"sent": 1, "failed": 0, "skipped": 0}
    assert outbox.deliver_due(runner="test") == {"sent": 0, "failed": 0, "skipped": 0}

    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 1 and row.sent_at == AT_TEN
    attempt = DeliveryAttempt.objects.get(outbox=row)
    assert attempt.ok and attempt.runner == "test" and "短信网关" in attempt.detail
    assert len(sink.requests) == 1
    assert sink.last.json["id"] == row.key == sink.last.header("X-Luoshi-Message-Id")


def test_a_failing_gateway_backs_off_then_fails_for_good(
    settings, clock, sink, liaison, client, users
) -> None:
    settings.LUOSHI_SMS_URL = sink.url("/sms")
    settings.LUOSHI_OUTBOX_MAX_ATTEMPTS = 3
    sink.reply((503, "维护中"))
    row = queue_sms(liaison)

    assert outbox.deliver_due()["failed"] == 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.not_before == AT_TEN + timedelta(minutes=1)
    assert row.last_error == "短信网关返回 HTTP 503：维护中"
    assert outbox.deliver_due()["failed"] == 0  # not due yet

    clock.shift(timedelta(minutes=1))
    outbox.deliver_due()
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 2
    assert row.not_before == AT_TEN + timedelta(minutes=1 + 5)

    clock.shift(timedelta(minutes=5))
    outbox.deliver_due()
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.attempts == 3
    assert row.last_error == "短信网关返回 HTTP 503：维护中"
    assert DeliveryAttempt.objects.filter(outbox=row, ok=False).count() == 3
    assert len(sink.requests) == 3

    client.force_login(users["sysadmin"])
    html = client.get("/notifications/admin/outbox/?status=failed").content.decode()
    assert f'<tr data-outbox="{row.pk}" class="row-error">' in html
    assert '<span class="tag bad">发送失败</span>' in html
    assert "短信网关返回 HTTP 503：维护中" in html


def test_an_unconfigured_gateway_is_retried_until_configured(
    settings, clock, sink, liaison
) -> None:
    row = queue_sms(liaison)
    outbox.deliver_due()
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.last_error == "未配置短信网关。"
    ChannelConfig.objects.create(kind=Channel.SMS, name="短信平台", url=sink.url("/sms"))
    clock.shift(timedelta(minutes=1))
    outbox.deliver_due()
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 2


def test_a_robot_message_waits_for_working_hours(settings, calendar_seeded, sink) -> None:
    robot = ChannelConfig.objects.create(kind=Channel.WECOM, name="群", url=sink.url("/s?key=k"))
    evening = datetime(2026, 11, 27, 19, 0, tzinfo=SHANGHAI)  # a Friday evening
    with time_machine.travel(evening, tick=False) as traveller:
        row = outbox.enqueue(
            key="digest:r", channel=Channel.WECOM, kind="digest", subject="今日督办事项",
            body="无", robot=robot,
        )  # fmt: skip
        assert row is not None
        assert outbox.deliver_due() == {"sent": 0, "failed": 0, "skipped": 0}
        traveller.move_to(datetime(2026, 11, 30, 8, 30, tzinfo=SHANGHAI))  # Monday
        assert outbox.deliver_due()["sent"] == 1
    assert len(sink.requests) == 1
