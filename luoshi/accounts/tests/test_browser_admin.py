"""The system administrator's user pages and the security administrator's grants page."""

import pytest
from playwright.sync_api import expect

from conftest import login

pytestmark = pytest.mark.browser


def test_it_creates_a_user_who_must_change_the_password(page) -> None:
    login(page, "sysadmin")
    page.get_by_test_id("nav").get_by_role("link", name="用户管理").click()
    page.get_by_role("link", name="新增用户").click()
    page.get_by_label("用户名").fill("office")
    page.get_by_label("姓名").fill("重名者")
    page.get_by_label("所属单位").select_option(label="　市教育局")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field-error")).to_contain_text("用户名“office”已被使用")
    page.get_by_label("用户名").fill("jiaoyu_ll")
    page.get_by_role("button", name="保存").click()
    password = page.get_by_test_id("initial-password").inner_text().strip()
    page.get_by_role("button", name="退出").click()

    login(page, "jiaoyu_ll", password)
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    page.get_by_label("原密码").fill(password)
    page.get_by_label("新密码", exact=True).fill("12345678")
    page.get_by_label("确认新密码").fill("12345678")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("alert").last).to_contain_text("密码")
    page.get_by_label("原密码").fill(password)
    page.get_by_label("新密码", exact=True).fill("Jiaoyu#2026ok")
    page.get_by_label("确认新密码").fill("Jiaoyu#2026ok")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_text("您的账户还没有任何角色")).to_be_visible()


def test_it_deactivates_and_searches_users(page) -> None:
    login(page, "sysadmin")
    page.goto("/accounts/users/?q=周婷")
    row = page.get_by_test_id("users").locator("tbody tr")
    expect(row).to_have_count(1)
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="停用").click()
    expect(page.get_by_role("status")).to_contain_text("已停用用户“周婷”")


def test_it_grants_and_revokes_roles(page) -> None:
    login(page, "secadmin")
    page.get_by_test_id("nav").get_by_role("link", name="角色授权").click()
    page.get_by_placeholder("用户名、姓名或单位").fill("inspector")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="管理授权").click()
    page.get_by_label("角色").select_option(label="观察员")
    page.get_by_label("授权范围（含下级单位）").select_option(label="清河市人民政府")
    page.get_by_role("button", name="授权").click()
    expect(page.get_by_role("status")).to_contain_text("已授权")
    page.get_by_label("角色").select_option(label="系统管理员")
    page.get_by_label("授权范围（含下级单位）").select_option(label="清河市人民政府")
    page.get_by_role("button", name="授权").click()
    expect(page.locator(".field-error")).to_contain_text("三员分立")
    grants = page.get_by_test_id("account-grants")
    expect(grants).to_contain_text("观察员")
    page.once("dialog", lambda d: d.accept())
    grants.locator("tr", has_text="观察员").get_by_role("button", name="撤销").click()
    expect(page.get_by_role("status")).to_contain_text("已撤销授权")
