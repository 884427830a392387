"""Every demo user signs in through the real login page and sees the menu of its roles."""

import pytest
from playwright.sync_api import expect

from conftest import login

pytestmark = pytest.mark.browser

OVERSIGHT = ["工作台", "消息通知", "我的待办", "督查台账", "亮灯情况", "统计分析", "催办督办",
             "督查公文", "单位名录", "工作日历"]  # fmt: skip
LEADER = ["工作台", "消息通知", "我的待办", "我分管的事项", "督查台账", "亮灯情况", "统计分析",
          "催办督办", "督查公文", "单位名录", "工作日历"]  # fmt: skip
UNIT = ["工作台", "消息通知", "我的待办", "承办任务", "催办督办", "单位名录", "工作日历"]
EXPECTED_NAV = {
    "office": [*OVERSIGHT[:4], "台账导入", *OVERSIGHT[4:], "台账规则", "提醒记录", "提醒规则"],
    "inspector": [*OVERSIGHT, "提醒记录"],
    "leader": LEADER,
    "vleader": LEADER,
    "liaison_a": UNIT,
    "head_a": UNIT,
    "liaison_b": UNIT,
    "head_b": UNIT,
    "observer": [
        "工作台",
        "消息通知",
        "督查台账",
        "亮灯情况",
        "统计分析",
        "催办督办",
        "督查公文",
        "单位名录",
        "工作日历",
    ],
    "sysadmin": [
        "工作台",
        "消息通知",
        "单位名录",
        "用户管理",
        "批量导入",
        "工作日历",
        "后台循环",
        "消息渠道",
        "消息投递",
    ],
    "secadmin": [
        "工作台",
        "消息通知",
        "单位名录",
        "角色授权",
        "安全策略",
        "动态口令管理",
        "工作日历",
    ],
    "auditor": ["工作台", "消息通知", "单位名录", "工作日历", "审计日志"],
}
ROLE_LABEL = {
    "office": "督查室管理员",
    "inspector": "督查员",
    "leader": "领导",
    "vleader": "领导",
    "liaison_a": "单位联络员",
    "head_a": "单位负责人",
    "liaison_b": "单位联络员",
    "head_b": "单位负责人",
    "observer": "观察员",
    "sysadmin": "系统管理员",
    "secadmin": "安全管理员",
    "auditor": "审计管理员",
}


@pytest.mark.parametrize("username", sorted(EXPECTED_NAV))
def test_it_logs_every_demo_user_in(page, users, username) -> None:
    login(page, username)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    assert page.url.endswith("/")
    nav = page.get_by_test_id("nav")
    expect(nav.get_by_role("link")).to_have_text(EXPECTED_NAV[username])
    expect(page.get_by_test_id("roles")).to_contain_text(ROLE_LABEL[username])
    expect(page.get_by_test_id("whoami")).to_contain_text(users[username].name)
    expect(page.get_by_test_id("whoami")).to_contain_text(users[username].unit.name)
    expect(page.get_by_test_id("card").first).to_be_visible()


def test_it_shows_the_chinese_error_for_a_wrong_password(page) -> None:
    login(page, "office", "wrong-password")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误，请重新输入。")
    assert "/accounts/login/" in page.url


def test_it_logs_out(page) -> None:
    login(page, "liaison_a")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.goto("/")
    assert "/accounts/login/" in page.url


def test_it_works_at_phone_width(phone_page) -> None:
    login(phone_page, "liaison_a")
    nav = phone_page.get_by_test_id("nav")
    expect(nav).to_be_hidden()
    phone_page.get_by_role("button", name="菜单").click()
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="工作日历").click()
    expect(phone_page.get_by_role("heading", name="工作日历", exact=True)).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px phone"
