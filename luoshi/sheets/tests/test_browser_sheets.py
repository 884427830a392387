"""The office in a real browser: filters the ledger, exports it as Excel, imports a
责任分解表 (first with an error, then a good one) and finds the new drafts in the ledger;
the preview fits a 375 px phone."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from conftest import login
from luoshi.ledger.models import Matter
from luoshi.sheets.tests.conftest import HEADER, decomposition, xlsx

pytestmark = pytest.mark.browser
FILE_LABEL = "责任分解表（.xlsx，不超过 10 MB）"


def upload(page: Page, data: bytes, name: str) -> None:
    form = page.get_by_test_id("import-form")
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )
    form.get_by_role("button", name="上传并检查").click()


def test_it_exports_and_imports_the_ledger(page: Page, phone_page: Page, matters) -> None:
    login(page, "office")
    page.get_by_test_id("nav").get_by_role("link", name="督查台账").click()
    page.locator("details.filters summary").click()
    filters = page.get_by_test_id("filters")
    filters.get_by_label("来源").select_option(label="会议议定")
    filters.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("ledger").locator("tbody tr")).to_have_count(1)
    with page.expect_download() as info:
        page.get_by_test_id("ledger-export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as f:
        ws = load_workbook(io.BytesIO(f.read())).worksheets[0]
    assert ws["A1"].value == "督查事项台账" and "来源：会议议定" in ws["A2"].value
    assert [r[2] for r in ws.iter_rows(min_row=4, values_only=True)] == ["老旧小区改造", None]

    # A sheet with a misspelt unit: every problem shown, nothing to confirm.
    page.get_by_test_id("nav").get_by_role("link", name="台账导入").click()
    bad = [HEADER, [1, "河道治理", "清淤", "水利厅", "", "某", "某", "尽快"]]
    upload(page, xlsx(bad), "有误.xlsx")
    expect(page.get_by_test_id("import-errors")).to_contain_text("共发现 2 处问题")
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text(
        "第 2 行“牵头单位”：未找到单位“水利厅”，您是不是要找：市水利局？"
    )
    expect(problems).to_contain_text("第 2 行“完成时限”：无法识别完成时限“尽快”")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)

    # The phone: the preview's tables scroll inside their own box, the page does not.
    login(phone_page, "office")
    phone_page.goto(page.url)
    expect(phone_page.get_by_test_id("import-problems")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width

    # A good sheet: preview → 确认导入 → the drafts are in the ledger.
    page.get_by_role("link", name="重新上传").click()
    upload(page, decomposition(), "分解表.xlsx")
    expect(page.get_by_test_id("import-ok")).to_contain_text("检查通过：2 个事项")
    expect(page.get_by_test_id("import-matter")).to_have_count(2)
    before = Matter.objects.count()
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("status")).to_contain_text("已导入 2 个事项（草稿）")
    expect(page.get_by_test_id("import-applied")).to_contain_text("推进老旧小区改造")
    assert Matter.objects.count() == before + 2
    page.get_by_role("link", name="到台账查看草稿事项").click()
    ledger = page.get_by_test_id("ledger")
    expect(ledger).to_contain_text("推进老旧小区改造")
    expect(ledger).to_contain_text("优化营商环境")
