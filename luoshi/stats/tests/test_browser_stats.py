"""统计分析 in a real browser: the office opens the dashboard, reads the figures, follows a
figure to its list and back, downloads the Excel file; the page fits a 375 px phone."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from conftest import login

pytestmark = pytest.mark.browser


def test_it_walks_dashboard_drill_down_and_export(page: Page, data) -> None:
    login(page, "office")
    page.get_by_test_id("nav").get_by_role("link", name="统计分析").click()
    expect(page.get_by_role("heading", name="统计分析", exact=True)).to_be_visible()
    expect(page.get_by_test_id("kpi-on_time-percent")).to_have_text("66.7%")
    expect(page.get_by_test_id("kpi-completion")).to_contain_text("已办结 3 / 任务 6")
    expect(page.get_by_test_id("kpi-returned-percent")).to_have_text("40%")
    expect(page.locator("html")).to_have_attribute("data-charts-ready", "6")
    rows = page.get_by_test_id("unit-ranking").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("市生态环境局")
    expect(rows.nth(1)).to_contain_text("市住房和城乡建设局")

    # 住建局's 逾期 2 → exactly those two tasks.
    page.get_by_role("link", name="市住房和城乡建设局逾期 2 项").click()
    expect(page.get_by_role("heading", name="承办任务")).to_be_visible()
    tasks = page.get_by_test_id("tasks").locator("tbody tr[data-assignment]")
    expect(tasks).to_have_count(2)
    expect(page.get_by_test_id("task-filter-note")).to_contain_text("逾期")
    expect(page.get_by_test_id("tasks")).to_contain_text("H2的任务")
    expect(page.get_by_test_id("tasks")).to_contain_text("H3的任务")

    # Back; 已销号 3 → the ledger's three closed matters.
    page.go_back()
    page.get_by_test_id("buckets-status").get_by_role("link", name="已销号 3").click()
    expect(page.get_by_test_id("ledger").locator("tbody tr[data-matter]")).to_have_count(3)
    page.go_back()

    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as fh:
        book = openpyxl.load_workbook(io.BytesIO(fh.read()))
    assert book.sheetnames == ["总体", "按单位", "月度趋势", "分类统计"]
    assert book["按单位"]["B4"].value == "市生态环境局"


def test_it_fits_a_phone(phone_page: Page, data) -> None:
    login(phone_page, "office")
    phone_page.goto("/stats/")
    expect(phone_page.locator("html")).to_have_attribute("data-charts-ready", "6")
    expect(phone_page.get_by_test_id("kpi-on_time-percent")).to_have_text("66.7%")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    box = phone_page.locator("[data-chart=trend]").bounding_box()
    assert box is not None and box["width"] <= 375


def test_it_opens_the_full_ranking_on_a_phone(phone_page: Page, data, users, units,
                                              monkeypatch) -> None:  # fmt: skip
    """A long ranking: the dashboard shows its head and tail, the full ranking pages and finds
    a unit by name, at 375 px (the limits are lowered so that six units make it long)."""
    from datetime import date

    from luoshi.stats import ranking
    from luoshi.stats.tests.dataset import _task

    for i, lead in enumerate(["市教育局", "市民政局", "市财政局", "市水利局"]):
        _task(users, units, f"追加{i}", lead, date(2026, 12, 31), status="in_progress",
              assigned_at=data["H3"].assigned_at)  # fmt: skip
    for name, value in (("SHOW_ALL_UP_TO", 3), ("HEAD", 2), ("TAIL", 2), ("PAGE_SIZE", 4)):
        monkeypatch.setattr(ranking, name, value)
    login(phone_page, "office")
    phone_page.goto("/stats/")
    expect(phone_page.get_by_test_id("ranking-gap")).to_have_text("第 3–4 名略")
    phone_page.get_by_test_id("ranking-all").click()
    expect(phone_page.get_by_role("heading", name="单位排名", exact=True)).to_be_visible()
    rows = phone_page.get_by_test_id("unit-ranking").locator("tbody tr[data-unit]")
    expect(rows).to_have_count(4)
    phone_page.get_by_test_id("ranking-pager").get_by_role("link", name="下一页").click()
    expect(rows).to_have_count(2)
    phone_page.get_by_label("单位名称").fill("住房")
    phone_page.get_by_role("button", name="查找").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("市住房和城乡建设局")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_at_province_scale_it_shows_as_of_when_and_refreshes(phone_page: Page, data, users,
                                                             units, settings) -> None:  # fmt: skip
    """Past the snapshot threshold (lowered here) the figures are as of a moment: a task
    added since shows after 立即刷新, not before; on a phone."""
    from datetime import date

    from luoshi.stats.tests.dataset import HOUSING, _task

    settings.STATS_SNAPSHOT_FROM_TASKS = 1
    login(phone_page, "office")
    phone_page.goto("/stats/?year=2026")
    expect(phone_page.get_by_test_id("stats-as-of")).to_contain_text("数据截至")
    expect(phone_page.get_by_test_id("kpi-completion")).to_contain_text("任务 6")
    _task(users, units, "追加任务", HOUSING, date(2026, 12, 31), status="in_progress",
          assigned_at=data["H3"].assigned_at)  # fmt: skip
    phone_page.reload()
    expect(phone_page.get_by_test_id("kpi-completion")).to_contain_text("任务 6")
    phone_page.get_by_test_id("stats-refresh").click()
    expect(phone_page.get_by_test_id("kpi-completion")).to_contain_text("任务 7")
    # The page's own links do not carry the refresh on.
    assert (phone_page.get_by_test_id("stats-refresh").get_attribute("href") or "").count(
        "refresh=1"
    ) == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
