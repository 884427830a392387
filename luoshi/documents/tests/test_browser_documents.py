"""督查公文 in a real browser: the office drafts the monthly circular, edits it, signs it off
and publishes it; an anonymous visitor reads it on the public site, also on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import login
from luoshi.documents.models import OfficialDocument

pytestmark = pytest.mark.browser
TITLE = "关于2026年10月份重点工作督查情况的通报"


def test_it_drafts_issues_and_publishes_a_circular(
    browser, live_server, page: Page, phone_page: Page
) -> None:
    po = page
    login(po, "office")
    po.get_by_test_id("nav").get_by_role("link", name="督查公文").click()
    po.get_by_test_id("doc-new").click()
    form = po.get_by_test_id("doc-new-form")
    form.get_by_label("月度督查通报（按月统计生成）").check()
    expect(form.get_by_label("通报月份（月度通报）")).to_have_value("2026-10")
    form.get_by_role("button", name="生成草稿").click()

    edit = po.get_by_test_id("doc-edit-form")
    expect(edit.get_by_label("标题")).to_have_value(TITLE)
    body = edit.get_by_label("正文")
    expect(body).to_contain_text("三、点名通报")
    body.fill(body.input_value() + "\n请各单位于12月5日前报送整改情况。")
    edit.get_by_role("button", name="保存").click()
    expect(po.get_by_role("status")).to_contain_text("已保存")
    expect(po.get_by_test_id("paper")).to_contain_text("请各单位于12月5日前报送整改情况。")
    expect(po.get_by_test_id("paper-number")).to_have_text("（签发时编号）")

    po.on("dialog", lambda d: d.accept())  # the 签发 confirmation
    po.get_by_role("button", name="签发").click()
    expect(po.get_by_test_id("doc-number")).to_have_text("〔2026〕第1期")
    expect(po.get_by_test_id("paper-number")).to_have_text("〔2026〕第1期")
    expect(po.get_by_test_id("doc-status")).to_have_text("已签发")
    po.get_by_role("button", name="公开").click()
    expect(po.get_by_test_id("doc-status")).to_have_text("已公开")
    doc = OfficialDocument.objects.get()
    assert doc.status == "published" and doc.docx_file

    # Anyone: the public list and the document, no login.
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    try:
        pa = context.new_page()
        pa.goto("/public/")
        assert "/accounts/login/" not in pa.url
        pa.get_by_role("link", name=TITLE).click()
        expect(pa.get_by_test_id("paper-title")).to_have_text(TITLE)
        expect(pa.get_by_test_id("paper-number")).to_have_text("〔2026〕第1期")
        expect(pa.get_by_test_id("paper")).to_contain_text("请各单位于12月5日前报送整改情况。")
    finally:
        context.close()

    for path in ("/public/", f"/public/{doc.pk}/"):
        phone_page.goto(path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    expect(phone_page.get_by_test_id("paper-title")).to_have_text(TITLE)
