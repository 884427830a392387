"""催办 in real browsers, each person in his own: the office urges from the task page, the
unit sees the bell, opens 催办督办 and replies, the office accepts, the notice prints as a
document, and the unit's pages fit a 375 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import login
from luoshi.notify.models import Notification
from luoshi.urging.models import UrgingNotice
from luoshi.urging.tests.conftest import REPLY, TEXT

pytestmark = pytest.mark.browser
NUMBER = "催办〔2026〕第1号"


def test_it_urges_replies_accepts_and_prints(
    browser, live_server, page: Page, phone_page: Page, users, running
) -> None:
    # The office: task page → 催办 → the form → the numbered notice.
    po = page
    login(po, "office")
    po.goto(f"/tasks/{running.pk}/")
    expect(po.get_by_test_id("urging-panel")).to_contain_text("尚未催办")
    po.get_by_test_id("urge-button").click()
    form = po.get_by_test_id("urging-form")
    expect(form.get_by_label("回复时限")).to_have_value("2026-11-26")
    expect(form.get_by_role("radio", name="催办单")).to_be_checked()
    form.get_by_label("催办要求").fill("请加快")
    form.get_by_role("button", name="发出").click()
    expect(po.locator(".field-error")).to_contain_text("至少 10 个字")
    form = po.get_by_test_id("urging-form")
    expect(form.get_by_label("催办要求")).to_have_value("请加快")  # the input is kept
    form.get_by_label("催办要求").fill(TEXT)
    form.get_by_role("button", name="发出").click()
    expect(po.get_by_test_id("urging-number")).to_have_text(NUMBER)
    expect(po.get_by_role("status")).to_contain_text(f"已发出催办单，编号 {NUMBER}。")
    expect(po.get_by_test_id("urging-status")).to_have_text("待回复")
    notice = UrgingNotice.objects.get()

    # The unit: the bell counts the notice; 催办督办 → the notice → the reply.
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        pa = context.new_page()
        login(pa, "liaison_a")
        liaison = users["liaison_a"]
        assert Notification.objects.filter(user=liaison, kind="urging").count() == 1
        unread = Notification.objects.filter(user=liaison, read_at__isnull=True).count()
        expect(pa.get_by_test_id("bell-count")).to_have_text(str(unread))
        pa.get_by_test_id("nav").get_by_role("link", name="催办督办").click()
        expect(pa.get_by_test_id("urgings").locator("tbody tr")).to_have_count(1)
        pa.get_by_role("link", name=NUMBER).click()
        expect(pa.get_by_test_id("urging-text")).to_have_text(TEXT)
        expect(pa.get_by_test_id("urging-read")).to_contain_text(liaison.name)  # 签阅
        reply = pa.get_by_test_id("urging-reply-form")
        reply.get_by_label("回复内容").fill(REPLY)
        reply.get_by_role("button", name="回复", exact=True).click()
        expect(pa.get_by_test_id("urging-status")).to_have_text("已回复")
        expect(pa.get_by_test_id("urging-reply")).to_contain_text(REPLY)
    finally:
        context.close()

    # The office accepts the reply.
    po.reload()
    po.get_by_test_id("urging-review-form").get_by_role("button", name="办结").click()
    expect(po.get_by_test_id("urging-status")).to_have_text("已办结")
    expect(po.get_by_test_id("urging-events")).to_contain_text("催办办结 → 已办结")

    # The per-unit counts the office reads for scoring: reached from the list.
    po.goto("/urging/")
    po.get_by_role("link", name="按单位统计").click()
    row = (
        po.get_by_test_id("urging-stats").locator("tbody tr").filter(has_text="市住房和城乡建设局")
    )
    expect(row.locator("td")).to_have_text(["1", "1", "1", "0", "0", "0"])

    # The printable document: number and text, and nothing of the app on paper.
    po.goto(f"/urging/{notice.pk}/print/")
    expect(po.get_by_test_id("doc-number")).to_have_text(NUMBER)
    expect(po.get_by_test_id("doc-text")).to_have_text(TEXT)
    expect(po.get_by_test_id("doc-to")).to_have_text("市住房和城乡建设局：")
    expect(po.get_by_test_id("print-toolbar")).to_be_visible()
    po.emulate_media(media="print")
    expect(po.get_by_test_id("print-toolbar")).to_be_hidden()
    expect(po.get_by_test_id("doc-number")).to_be_visible()

    # The unit's pages on a phone: nothing sticks out sideways.
    login(phone_page, "liaison_a")
    for url in ("/urging/", f"/urging/{notice.pk}/", f"/urging/{notice.pk}/print/"):
        phone_page.goto(url)
        expect(phone_page.get_by_text(NUMBER).first).to_be_visible()
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375, url
