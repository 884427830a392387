"""The auditor searches the log, opens a record, checks the chain and exports."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import login
from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord

pytestmark = pytest.mark.browser


def test_the_auditor_finds_a_failed_login_checks_the_chain_and_exports(page, phone_page, users):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("liaison_a")
    page.get_by_label("密码").fill("Wrong#Pass9")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert AuditRecord.objects.filter(event=Event.LOGIN_FAILED).exists()

    login(page, "auditor")
    page.get_by_role("link", name="审计日志").click()
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    page.get_by_label("事件").select_option(Event.LOGIN_FAILED)
    page.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("audit-records").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("登录失败")
    rows.first.get_by_role("link").click()
    expect(page.get_by_text("用户名：liaison_a")).to_be_visible()

    page.get_by_role("link", name="返回审计日志").click()
    page.get_by_role("button", name="校验审计链").click()
    expect(page.get_by_test_id("chain-result")).to_contain_text("审计链完好")

    with page.expect_download() as info:
        page.get_by_test_id("audit-export").click()
    assert info.value.suggested_filename.endswith(".xlsx")

    login(phone_page, "auditor")
    newest = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True)[0]
    for url in ("/audit/", f"/audit/{newest}/"):
        phone_page.goto(url)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375, url
