"""The bell in a real browser: the count, opening a message from the list, htmx refreshing
the count, marking all read, the preferences, and the phone layout."""

import re

import pytest
from playwright.sync_api import expect

from conftest import login
from luoshi.notify import outbox
from luoshi.notify.models import NotificationPreference

pytestmark = pytest.mark.browser

DIGEST = [
    {"text": "关于老旧小区改造的督办事项：反馈今天到期", "link": "/org/units/"},
    {"text": "关于城市内涝治理的督办事项：已逾期 2 个工作日", "link": "/calendar/"},
]


def notify(user, key: str, subject: str, **extra) -> None:
    outbox.enqueue(key=f"browser-bell:{key}", channel="inapp", kind="test", subject=subject,
                   body=f"{subject}，请及时处理。", user=user, **extra)  # fmt: skip


def test_the_bell_counts_opens_and_clears(page, users) -> None:
    me = users["liaison_a"]
    notify(me, "review", "反馈待审核：关于老旧小区改造的督办事项", link="/calendar/")
    notify(me, "digest", "今日督办提醒（2 项）", items=DIGEST)
    notify(users["liaison_b"], "other", "别人的消息")
    page.clock.install()  # htmx's one-minute poll runs on a clock the test moves
    login(page, "liaison_a")
    bell = page.get_by_test_id("bell")
    expect(bell.get_by_test_id("bell-count")).to_have_text("2")
    expect(bell).to_have_attribute("aria-label", "消息通知（2 条未读）")

    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    entries = page.get_by_test_id("notification")
    expect(entries).to_have_count(2)
    expect(page.get_by_role("link", name="未读（2）")).to_have_attribute("aria-current", "page")
    digest = entries.filter(has_text="今日督办提醒")
    expect(digest.get_by_test_id("digest-items").get_by_role("link")).to_have_count(2)
    expect(digest.get_by_role("link", name=DIGEST[0]["text"])).to_have_attribute(
        "href", "/org/units/"
    )

    entries.filter(has_text="反馈待审核").get_by_role(
        "button", name=re.compile("反馈待审核")
    ).click()
    expect(page).to_have_url(re.compile(r"/calendar/$"))
    expect(page.get_by_test_id("bell-count")).to_have_text("1")

    # A new message arrives: the bell catches up within a minute without a reload.
    notify(me, "late", "新的催办通知", link="/calendar/")
    page.clock.run_for(61_000)
    expect(page.get_by_test_id("bell-count")).to_have_text("2")
    expect(page.get_by_test_id("bell")).to_have_attribute("aria-label", "消息通知（2 条未读）")

    page.get_by_test_id("bell").click()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_role("status")).to_contain_text("已将 2 条消息标为已读。")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    expect(page.get_by_test_id("bell")).to_have_attribute("aria-label", "消息通知（0 条未读）")
    expect(page.locator(".notice.unread")).to_have_count(0)
    expect(page.get_by_test_id("notification")).to_have_count(3)


def test_the_preferences_page_saves(page, users) -> None:
    me = users["liaison_a"]
    me.email = "zhaomin@qinghe.gov.cn"
    me.save()
    login(page, "liaison_a")
    page.get_by_test_id("bell").click()
    page.get_by_role("link", name="通知设置").click()
    expect(page.get_by_label("站内消息")).to_be_checked()
    expect(page.get_by_label("站内消息")).to_be_disabled()
    expect(page.get_by_test_id("pref-email")).to_contain_text("zhaomin@qinghe.gov.cn")
    expect(page.get_by_test_id("pref-sms")).to_contain_text("未登记，请联系系统管理员")
    expect(page.get_by_test_id("delivery-rules")).to_contain_text("08:30–17:30")
    page.get_by_label("短信").uncheck()
    page.get_by_role("button", name="保存设置").click()
    expect(page.get_by_role("status")).to_contain_text("通知设置已保存。")
    expect(page.get_by_label("电子邮件")).to_be_checked()
    expect(page.get_by_label("短信")).not_to_be_checked()
    pref = NotificationPreference.objects.get(user=me)
    assert (pref.email, pref.sms) == (True, False)
    assert outbox.channels_for(me) == ["inapp", "email"]


def test_the_bell_fits_a_phone(phone_page, users) -> None:
    me = users["liaison_a"]
    notify(me, "phone-digest", "今日督办提醒（2 项）", items=DIGEST)
    for n in range(120):
        notify(me, f"phone-{n}", f"第 {n} 条通知：关于城市更新项目推进情况的督办事项需要及时反馈")
    login(phone_page, "liaison_a")
    bell = phone_page.get_by_test_id("bell")
    expect(bell).to_be_visible()
    expect(bell.get_by_test_id("bell-count")).to_have_text("99+")
    box = bell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    bell.click()
    expect(phone_page.get_by_test_id("notifications")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.goto("/notifications/preferences/")
    expect(phone_page.get_by_test_id("preferences")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
