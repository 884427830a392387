"""The 工作台 shows real counts for each role, and the loop page shows the heartbeats."""

import pytest
from playwright.sync_api import expect

from conftest import login
from luoshi.core.loops import LOOPS, run_due_loops

pytestmark = pytest.mark.browser


def test_it_shows_counts_for_the_system_administrator(page) -> None:
    login(page, "sysadmin")
    card = page.get_by_test_id("card").filter(has_text="系统管理")
    expect(card.locator(".figure", has_text="启用单位")).to_contain_text("38")
    expect(card.locator(".figure", has_text="在用账户")).to_contain_text("12")
    # Every loop is stale until the runner has beaten once.
    expect(card.locator(".figure", has_text="异常后台循环")).to_contain_text(str(len(LOOPS)))
    run_due_loops()
    page.reload()
    expect(card.locator(".figure", has_text="异常后台循环")).to_contain_text("0")
    card.locator(".figure", has_text="异常后台循环").get_by_role("link").click()
    expect(page.get_by_test_id("loops")).to_contain_text("工作日历同步")
    expect(page.get_by_test_id("loops")).to_contain_text("运行中")


def test_it_shows_a_unit_its_own_scope(page) -> None:
    login(page, "liaison_a")
    card = page.get_by_test_id("card").filter(has_text="本单位")
    expect(card).to_contain_text("市住房和城乡建设局")
    expect(card.locator(".figure", has_text="在用账户")).to_contain_text("2")
    calendar = page.get_by_test_id("card").filter(has_text="工作日历")
    expect(calendar.locator(".figure", has_text="今天")).to_contain_text("工作日")
    # 2026-11-23 (Mon) → Nov 24 … Nov 30: six working days left.
    expect(calendar.locator(".figure", has_text="本月剩余工作日")).to_contain_text("5")


def test_it_shows_oversight_scope_to_the_office(page) -> None:
    login(page, "office")
    card = page.get_by_test_id("card").filter(has_text="督查范围")
    expect(card.locator(".figure", has_text="部门")).to_contain_text("20")
    expect(card.locator(".figure", has_text="乡镇（街道）")).to_contain_text("10")


def test_a_leader_follows_his_matters_red_first(page, phone_page, users, units) -> None:
    from datetime import date

    from luoshi.ledger import lights
    from luoshi.ledger.models import Assignment
    from luoshi.ledger.tests.factories import make_matter

    make_matter(users, units, title="按期推进的事项", assigned=True)
    late = make_matter(users, units, title="已经逾期的事项", assigned=True)
    Assignment.objects.filter(matter=late).update(due_date=date(2026, 11, 20))
    lights.refresh_all()
    login(page, "vleader")
    page.get_by_test_id("nav").get_by_role("link", name="我分管的事项").click()
    rows = page.get_by_test_id("my-matters").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("已经逾期的事项")
    expect(rows.first).to_contain_text("红灯")
    expect(rows.nth(1)).to_contain_text("绿灯")
    rows.first.get_by_role("link", name="已经逾期的事项").click()
    expect(page.get_by_test_id("matter-status")).to_be_visible()
    login(phone_page, "vleader")
    phone_page.goto("/my-matters/")
    expect(phone_page.get_by_test_id("my-matters")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
