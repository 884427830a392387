"""The calendar pages: the htmx calculator, and entering and publishing next year."""

import pytest
from playwright.sync_api import expect

from conftest import login

pytestmark = pytest.mark.browser


def test_it_calculates_working_days_in_place(page) -> None:
    login(page, "liaison_a")
    page.get_by_test_id("nav").get_by_role("link", name="工作日历").click()
    page.get_by_label("起算日期").fill("2025-09-30")
    page.get_by_label("工作日数").fill("1")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("calc-result")).to_contain_text("2025年10月9日")
    page.get_by_label("起算日期").fill("2027-03-01")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("calc-error")).to_contain_text("2027 年的节假日安排尚未录入")
    # Units read the calendar but do not edit it, and see no admin banner.
    expect(page.get_by_role("button", name="新增年份")).to_have_count(0)
    expect(page.get_by_test_id("calendar-banner")).to_have_count(0)


def test_it_enters_and_publishes_next_year(page) -> None:
    login(page, "office")
    expect(page.get_by_test_id("calendar-banner")).to_contain_text("2027 年的节假日安排尚未录入")
    page.get_by_role("link", name="前往工作日历").click()
    page.get_by_label("年份").fill("2027")
    page.get_by_role("button", name="新增年份").click()
    expect(page.get_by_role("heading", name="2027 年工作日历")).to_be_visible()

    form = page.get_by_test_id("days-form")
    page.get_by_role("button", name="发布 2027 年安排").click()
    expect(page.locator(".banner.error")).to_contain_text("不能发布")

    form.get_by_label("开始日期").fill("2027-03-01")
    form.get_by_label("类型").select_option(label="调休上班")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".field-error")).to_contain_text("本来就是工作日")

    form.get_by_label("开始日期").fill("2027-02-06")
    form.get_by_label("结束日期（单日可不填）").fill("2027-02-13")
    form.get_by_label("类型").select_option(label="放假")
    form.get_by_label("节日名称").fill("春节")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已设置 8 天")
    expect(page.locator("td[data-date='2027-02-08']")).to_have_class("day off holiday")

    page.get_by_role("button", name="发布 2027 年安排").click()
    expect(page.get_by_role("status")).to_contain_text("已发布")
    expect(page.get_by_test_id("calendar-banner")).to_have_count(0)
    page.goto("/calendar/")
    expect(page.get_by_test_id("years").locator("tr", has_text="2027 年")).to_contain_text("已发布")
