"""The system administrator adds a 企业微信 robot, sends a test message through it and
follows its delivery, on a desktop and on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from luoshi.notify import outbox
from luoshi.notify.models import ChannelConfig, Outbox, OutboxStatus
from luoshi.notify.tests.http_sink import HttpSink

pytestmark = pytest.mark.browser


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as server:
        yield server


def test_a_robot_is_added_tested_and_its_delivery_followed(
    page, phone_page, log_in, units, sink
) -> None:
    unit = units["市住房和城乡建设局"]
    log_in(page, "sysadmin")
    page.get_by_test_id("nav").get_by_role("link", name="消息渠道").click()
    expect(page.get_by_role("heading", name="消息渠道")).to_be_visible()
    page.get_by_role("link", name="新增渠道").click()

    form = page.get_by_test_id("channel-form")
    form.get_by_label("渠道").select_option("wecom")
    form.get_by_label("名称").fill("住建局工作群")
    form.get_by_label("地址").fill(sink.url("/cgi-bin/webhook/send?key=browser-key"))
    form.get_by_label("密钥").fill("")
    form.get_by_label("所属单位（工作群）").select_option(str(unit.pk))
    form.get_by_role("button", name="保存").click()

    expect(page.get_by_role("status").first).to_contain_text("已新增消息渠道")
    row = page.get_by_test_id("channels").locator("tbody tr", has_text="住建局工作群")
    expect(row).to_contain_text("企业微信群机器人")
    expect(row).to_contain_text("市住房和城乡建设局")
    expect(row).to_contain_text("key=******")
    expect(row).not_to_contain_text("browser-key")
    row.get_by_role("button", name="发送测试消息").click()
    expect(page.get_by_role("status").first).to_have_text(
        "测试消息已排队，稍后在“消息投递”查看结果。"
    )

    # The runner's step, in this process: the live server shares the database.
    assert outbox.deliver_due(runner="browser-test")["sent"] == 1
    assert len(sink.requests) == 1
    request = sink.last
    assert request.param("key") == "browser-key"
    assert request.json["msgtype"] == "markdown"
    assert request.json["markdown"]["content"].startswith("**测试消息**")
    config = ChannelConfig.objects.get()
    sent = Outbox.objects.get(robot=config)
    assert sent.status == OutboxStatus.SENT and sent.key.startswith(f"test:{config.pk}:")
    assert request.header("X-Luoshi-Message-Id") == sent.key

    page.get_by_test_id("nav").get_by_role("link", name="消息投递").click()
    counts = page.get_by_test_id("outbox-counts")
    expect(counts.locator('a[data-status="sent"]')).to_contain_text("1")
    line = page.get_by_test_id("outbox").locator("tbody tr").first
    expect(line).to_contain_text("企业微信群机器人")
    expect(line).to_contain_text("住建局工作群")
    expect(line).to_contain_text("已发送")
    line.get_by_role("link", name="测试消息").click()
    expect(page.get_by_test_id("outbox-status")).to_have_text("已发送")
    attempt = page.get_by_test_id("attempts").locator("tbody tr")
    expect(attempt).to_have_count(1)
    expect(attempt).to_contain_text("成功")
    expect(attempt).to_contain_text("已发送到群机器人“住建局工作群”（HTTP 200）")
    expect(attempt).to_contain_text("browser-test")

    # On a phone the pages fit the screen; the tables scroll inside their frame.
    log_in(phone_page, "sysadmin")
    for url in (
        "/notifications/admin/channels/",
        "/notifications/admin/outbox/",
        f"/notifications/admin/outbox/{sent.pk}/",
        "/notifications/admin/channels/add/",
        f"/notifications/admin/channels/{config.pk}/edit/",
    ):
        phone_page.goto(url)
        expect(phone_page.locator("h1")).to_be_visible()
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375, url
