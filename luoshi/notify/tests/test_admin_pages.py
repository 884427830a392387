"""消息渠道 and 消息投递 through the test client: only for the system administrator, forms
validated in Chinese, secrets kept, test messages queued, failed messages sent again."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.utils import timezone

from conftest import SHANGHAI
from luoshi.core.loops import LOOPS
from luoshi.core.models import LoopHeartbeat
from luoshi.notify import outbox
from luoshi.notify.models import Channel, ChannelConfig, DeliveryAttempt, Outbox, OutboxStatus

pytestmark = pytest.mark.django_db

AT_TEN = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
CHANNELS = "/notifications/admin/channels/"
OUTBOX = "/notifications/admin/outbox/"


@pytest.fixture
def clock(calendar_seeded):
    with time_machine.travel(AT_TEN, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(client, users):
    client.force_login(users["sysadmin"])
    return client


@pytest.fixture
def robot(units):
    return ChannelConfig.objects.create(
        kind=Channel.WECOM,
        name="住建局工作群",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=9f1c-secret-key",
        unit=units["市住房和城乡建设局"],
    )


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def failed_row(**fields) -> Outbox:
    values = {
        "key": "remind:9:sms", "channel": Channel.SMS, "kind": "digest",
        "subject": "督办提醒", "body": "请反馈。", "status": OutboxStatus.FAILED,
        "not_before": timezone.now(), "attempts": 5, "last_error": "短信网关返回 HTTP 503：维护中",
    }  # fmt: skip
    values.update(fields)
    return Outbox.objects.create(**values)


# --- who may open the pages -------------------------------------------------------------


def test_only_the_system_administrator_reaches_the_pages(client, users, robot) -> None:
    row = failed_row()
    pages = [
        CHANNELS,
        f"{CHANNELS}add/",
        f"{CHANNELS}{robot.pk}/edit/",
        OUTBOX,
        f"{OUTBOX}{row.pk}/",
    ]
    posts = [
        f"{CHANNELS}{robot.pk}/test/",
        f"{CHANNELS}{robot.pk}/disable/",
        f"{OUTBOX}{row.pk}/retry/",
    ]
    for url in pages + posts:
        response = client.get(url) if url in pages else client.post(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), url
    for username in ("office", "secadmin", "liaison_a"):
        client.force_login(users[username])
        for url in pages:
            assert client.get(url).status_code == 403, (username, url)
        for url in posts:
            assert client.post(url).status_code == 403, (username, url)
    assert Outbox.objects.count() == 1 and ChannelConfig.objects.get().enabled
    client.force_login(users["sysadmin"])
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_menu_shows_both_pages_to_the_system_administrator_only(client, users) -> None:
    client.force_login(users["sysadmin"])
    html = client.get("/").content.decode()
    assert f'<a href="{CHANNELS}">消息渠道</a>' in html
    assert f'<a href="{OUTBOX}">消息投递</a>' in html
    client.force_login(users["office"])
    html = client.get("/").content.decode()
    assert "消息渠道" not in html and "消息投递" not in html


# --- 消息渠道 -------------------------------------------------------------------------


def test_the_list_masks_urls_and_secrets(admin, robot, settings) -> None:
    robot.secret = "top-secret-value"
    robot.save()
    settings.LUOSHI_SMS_URL = "https://sms.example.cn/api/send?token=env-token"
    settings.LUOSHI_SMS_SECRET = ""
    html = admin.get(CHANNELS).content.decode()
    assert "9f1c-secret-key" not in html and "top-secret-value" not in html
    assert "env-token" not in html
    assert "key=<wbr>******" in html
    assert "<td>市住房和城乡建设局</td>" in html
    assert '<td class="nowrap">已设置</td>' in html
    # The SMS gateway comes from the environment, shown read-only.
    assert "环境变量 <code>LUOSHI_SMS_URL</code>" in html
    assert "<code>LUOSHI_SMS_SECRET</code> 未设置" in html


def test_adding_a_channel_is_validated_in_chinese(admin, units) -> None:
    unit = units["市住房和城乡建设局"]
    response = admin.post(
        f"{CHANNELS}add/", {"kind": "wecom", "name": "", "url": "ftp://robot.example.cn/x"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请填写名称。" in html
    assert "地址必须是以 http:// 或 https:// 开头的完整网址。" in html
    assert "群机器人必须选择所属单位（工作群）。" in html
    response = admin.post(
        f"{CHANNELS}add/",
        {"kind": "sms", "name": "短信平台", "url": "https://sms.example.cn/send", "unit": unit.pk},
    )
    assert "短信网关不属于任何单位" in response.content.decode()
    response = admin.post(
        f"{CHANNELS}add/", {"kind": "email", "name": "邮件", "url": "https://x.example.cn/"}
    )
    assert "请选择短信网关、企业微信或钉钉群机器人。" in response.content.decode()
    assert not ChannelConfig.objects.exists()

    response = admin.post(
        f"{CHANNELS}add/",
        {
            "kind": "dingtalk", "name": "住建局钉钉群", "unit": unit.pk, "enabled": "on",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=abc", "secret": "SECxyz",
        },
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == CHANNELS
    config = ChannelConfig.objects.get()
    assert (config.kind, config.unit, config.secret, config.enabled) == (
        "dingtalk", unit, "SECxyz", True,
    )  # fmt: skip
    assert flash(response) == ["已新增消息渠道“钉钉群机器人 · 住建局钉钉群”。"]


def test_an_inactive_unit_cannot_be_chosen(admin, units) -> None:
    unit = units["市住房和城乡建设局"]
    unit.is_active = False
    unit.save(update_fields=["is_active"])
    response = admin.post(
        f"{CHANNELS}add/",
        {
            "kind": "wecom",
            "name": "群",
            "url": "https://qyapi.weixin.qq.com/s?key=1",
            "unit": unit.pk,
        },
    )
    assert response.status_code == 200
    assert not ChannelConfig.objects.exists()


def edit(admin, config, **changes):
    data = {
        "kind": config.kind, "name": config.name, "url": config.url,
        "unit": config.unit_id or "", "enabled": "on" if config.enabled else "",
    }  # fmt: skip
    data.update(changes)
    return admin.post(f"{CHANNELS}{config.pk}/edit/", data)


def test_editing_keeps_the_secret_unless_changed_or_cleared(admin, robot) -> None:
    robot.kind, robot.secret = Channel.DINGTALK, "SEC-old"
    robot.save()
    html = admin.get(f"{CHANNELS}{robot.pk}/edit/").content.decode()
    assert "SEC-old" not in html  # never sent back to the browser
    assert "当前密钥：已设置。留空则保持原密钥。" in html and "清除密钥" in html

    assert edit(admin, robot, name="改名后的群", secret="").status_code == 302
    robot.refresh_from_db()
    assert (robot.name, robot.secret) == ("改名后的群", "SEC-old")

    assert edit(admin, robot, secret="SEC-new").status_code == 302
    robot.refresh_from_db()
    assert robot.secret == "SEC-new"

    response = edit(admin, robot, secret="SEC-other", clear_secret="on")
    assert "勾选“清除密钥”时请不要填写新密钥。" in response.content.decode()
    robot.refresh_from_db()
    assert robot.secret == "SEC-new"

    assert edit(admin, robot, clear_secret="on").status_code == 302
    robot.refresh_from_db()
    assert robot.secret == ""


def test_editing_validates_like_adding(admin, robot) -> None:
    response = edit(admin, robot, unit="", url="javascript:alert(1)")
    html = response.content.decode()
    assert "群机器人必须选择所属单位（工作群）。" in html
    assert "地址必须是以 http:// 或 https:// 开头的完整网址。" in html


def test_deleting_disables_and_keeps_the_history(admin, robot) -> None:
    row = failed_row(channel=Channel.WECOM, robot=robot)
    response = admin.post(f"{CHANNELS}{robot.pk}/disable/")
    assert response.status_code == 302
    robot.refresh_from_db()
    assert not robot.enabled
    assert Outbox.objects.filter(pk=row.pk, robot=robot).exists()
    html = admin.get(CHANNELS).content.decode()
    assert f'<tr data-channel="{robot.pk}" class="inactive">' in html
    assert "已停用" in html
    assert edit(admin, robot, enabled="on").status_code == 302
    robot.refresh_from_db()
    assert robot.enabled


def test_a_test_message_is_queued_for_a_robot(clock, admin, robot) -> None:
    response = admin.post(f"{CHANNELS}{robot.pk}/test/")
    assert response.status_code == 302 and response["Location"] == CHANNELS
    assert flash(response) == ["测试消息已排队，稍后在“消息投递”查看结果。"]
    row = Outbox.objects.get()
    assert row.key.startswith(f"test:{robot.pk}:")
    assert (row.kind, row.channel, row.robot, row.user) == ("test", "wecom", robot, None)
    assert row.status == OutboxStatus.PENDING and row.not_before == AT_TEN
    clock.shift(1)
    admin.post(f"{CHANNELS}{robot.pk}/test/")
    assert Outbox.objects.count() == 2  # each click is a new message


def test_a_test_message_outside_working_hours_says_when_it_goes(client, users, robot) -> None:
    with time_machine.travel(datetime(2026, 11, 28, 11, 0, tzinfo=SHANGHAI), tick=False):  # Sat
        client.force_login(users["sysadmin"])
        response = client.post(f"{CHANNELS}{robot.pk}/test/")
    assert flash(response) == [
        "测试消息已排队，稍后在“消息投递”查看结果。",
        "现在不是工作时间，短信和群机器人消息将于 2026-11-30 08:30 发送。",
    ]


def test_a_test_sms_goes_to_the_administrator_s_own_phone(clock, admin, users) -> None:
    gateway = ChannelConfig.objects.create(
        kind=Channel.SMS, name="短信平台", url="https://sms.example.cn/"
    )
    response = admin.post(f"{CHANNELS}{gateway.pk}/test/")
    assert flash(response) == [
        "您的账户没有手机号码，无法接收测试短信。请先在用户管理中填写手机号码。"
    ]
    assert not Outbox.objects.exists()
    sysadmin = users["sysadmin"]
    sysadmin.phone = "13700137000"
    sysadmin.save(update_fields=["phone"])
    admin.post(f"{CHANNELS}{gateway.pk}/test/")
    row = Outbox.objects.get()
    assert (row.channel, row.user, row.robot, row.kind) == ("sms", sysadmin, gateway, "test")


def test_a_disabled_channel_sends_no_test(clock, admin, robot) -> None:
    robot.enabled = False
    robot.save()
    response = admin.post(f"{CHANNELS}{robot.pk}/test/")
    assert "已停用" in flash(response)[0]
    assert not Outbox.objects.exists()


# --- 消息投递 -------------------------------------------------------------------------


def test_the_outbox_counts_filters_and_pages(clock, admin, robot, users) -> None:
    failed_row()
    for i in range(33):
        outbox.enqueue(
            key=f"digest:{i}", channel=Channel.WECOM, kind="digest", subject=f"第{i}条",
            body="无", robot=robot,
        )  # fmt: skip
    outbox.enqueue(key="mail", channel=Channel.EMAIL, kind="x", subject="邮件消息", body="无",
                   user=users["office"])  # fmt: skip
    html = admin.get(OUTBOX).content.decode()
    assert (
        '<a href="?status=failed" data-status="failed">发送失败 <b class="tag bad">1</b></a>'
        in html
    )
    assert '<a href="?status=pending" data-status="pending">待发送 <b>34</b></a>' in html
    assert "全部 <b>35</b>" in html
    assert "第 1 / 2 页，共 35 条" in html
    # Newest first: the e-mail queued last heads the list.
    assert html.index("邮件消息") < html.index("第32条")
    assert "陈志远" in html and "住建局工作群" in html

    html = admin.get(OUTBOX + "?status=failed").content.decode()
    assert "督办提醒" in html and "第1条" not in html
    assert '<tr data-outbox="' in html and 'class="row-error"' in html

    html = admin.get(OUTBOX + "?channel=email").content.decode()
    assert "邮件消息" in html and "第1条" not in html
    # The counts link keeps the channel filter.
    assert 'href="?status=pending&amp;channel=email"' in html

    html = admin.get(OUTBOX + "?channel=wecom&page=2").content.decode()
    assert "第 2 / 2 页，共 33 条" in html
    assert 'href="?channel=wecom&amp;page=1"' in html

    html = admin.get(OUTBOX + "?status=nonsense").content.decode()
    assert "全部 <b>35</b>" in html and "第 1 / 2 页" in html


def test_the_detail_shows_the_attempts_and_sends_a_failed_message_again(clock, admin) -> None:
    row = failed_row()
    DeliveryAttempt.objects.create(outbox=row, ok=False, error="短信网关返回 HTTP 503：维护中",
                                   duration_ms=12, runner="runloops")  # fmt: skip
    html = admin.get(f"{OUTBOX}{row.pk}/").content.decode()
    assert "发送失败" in html and "重新发送" in html
    assert "短信网关返回 HTTP 503：维护中" in html and "12 毫秒" in html and "runloops" in html
    assert "<dd>督办提醒汇总</dd>" in html

    response = admin.post(f"{OUTBOX}{row.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"{OUTBOX}{row.pk}/"
    assert flash(response) == ["已重新排队。"]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 0, "")
    assert "重新发送" not in admin.get(f"{OUTBOX}{row.pk}/").content.decode()

    response = admin.post(f"{OUTBOX}{row.pk}/retry/")
    assert flash(response) == ["只有发送失败的消息可以重新发送，这条消息的状态是“待发送”。"]


def test_health_reports_failed_messages_without_degrading(client, admin, calendar_seeded) -> None:
    for loop in LOOPS:
        LoopHeartbeat.objects.create(
            name=loop.name, interval_seconds=loop.interval_seconds, last_beat_at=timezone.now()
        )
    failed_row()
    failed_row(key="other", status=OutboxStatus.PENDING)
    body = client.get("/healthz").json()
    assert body["outbox"] == {"pending": 1, "sending": 0, "failed": 1}
    assert body["status"] == "ok"

    html = admin.get("/system/loops/").content.decode()
    assert '发送失败 <span class="tag bad">1</span> 条' in html
    assert f'<a href="{OUTBOX}?status=failed">查看消息投递</a>' in html
