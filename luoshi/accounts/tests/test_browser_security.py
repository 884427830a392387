"""The 安全策略 page in a browser, and a locked account at the real login page."""

import pytest
from playwright.sync_api import expect

from conftest import login
from luoshi.accounts.models import LoginLock, SecurityPolicy

pytestmark = pytest.mark.browser
SAME_ERROR = "用户名或密码错误，请重新输入。"


def test_it_locks_at_the_login_page_and_the_secadmin_releases_it(page) -> None:
    for _ in range(5):
        login(page, "liaison_a", "Wrong#2026pw")
        expect(page.get_by_role("alert")).to_have_text(SAME_ERROR)
    login(page, "liaison_a")  # the right password, while locked
    expect(page.get_by_role("alert")).to_have_text(SAME_ERROR)
    assert "/accounts/login/" in page.url
    # The five failures locked this browser's address too; the security administrator
    # works from another machine.
    LoginLock.objects.filter(scope="address").delete()

    login(page, "secadmin")
    page.get_by_test_id("nav").get_by_role("link", name="安全策略").click()
    expect(page.get_by_role("heading", name="安全策略")).to_be_visible()
    page.get_by_label("密码最小长度").fill("6")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field-error")).to_have_text(
        "密码最小长度不能小于 8（等保三级不允许低于默认要求）。"
    )
    page.get_by_label("密码最小长度").fill("10")
    page.get_by_label("空闲超时（分钟）").fill("15")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_have_text("安全策略已保存。")
    policy = SecurityPolicy.objects.get()
    assert (policy.min_length, policy.idle_minutes) == (10, 15)

    locks = page.get_by_test_id("login-locks")
    row = locks.get_by_role("row").filter(has_text="liaison_a")
    expect(row).to_contain_text("用户名")
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="解除锁定").click()
    expect(page.get_by_role("status")).to_have_text("已解除锁定：用户名 liaison_a。")
    expect(locks.get_by_role("row").filter(has_text="liaison_a")).to_have_count(0)


def test_it_fits_a_phone(phone_page) -> None:
    login(phone_page, "secadmin")
    phone_page.goto("/accounts/security/")
    expect(phone_page.get_by_role("heading", name="安全策略")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px phone"
