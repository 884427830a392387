"""Unit pages and the .xlsx import, driven in Chromium."""

import pytest
from playwright.sync_api import expect

from conftest import login
from luoshi.org.tests.test_import import BAD, GOOD

pytestmark = pytest.mark.browser


def test_it_creates_edits_moves_and_deactivates_a_unit(page) -> None:
    login(page, "sysadmin")
    page.get_by_test_id("nav").get_by_role("link", name="单位名录").click()
    units = page.get_by_test_id("units")
    units.locator("tr[data-unit='东湖区']").get_by_role("link", name="添加下级").click()
    page.get_by_label("单位名称").fill("东湖区财政局")
    page.get_by_label("类型").select_option(label="部门")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已新增单位“东湖区财政局”")

    row = units.locator("tr[data-unit='东湖区财政局']")
    row.get_by_role("link", name="编辑").click()
    page.get_by_label("简称").fill("东湖财政")
    page.get_by_role("button", name="保存").click()
    expect(units.locator("tr[data-unit='东湖区财政局']")).to_contain_text("东湖财政")

    units.locator("tr[data-unit='东湖区财政局']").get_by_role("link", name="编辑").click()
    page.get_by_label("新的上级单位").select_option(label="　西山区")
    page.get_by_role("button", name="移动").click()
    expect(page.get_by_role("status")).to_contain_text("移到“西山区”之下")

    page.once("dialog", lambda d: d.accept())
    units.locator("tr[data-unit='东湖区财政局']").get_by_role("button", name="停用").click()
    expect(page.get_by_role("status")).to_contain_text("已停用单位")
    expect(units.locator("tr[data-unit='东湖区财政局']")).to_have_count(0)

    page.once("dialog", lambda d: d.accept())
    units.locator("tr[data-unit='市住房和城乡建设局']").get_by_role("button", name="停用").click()
    expect(page.locator(".banner.error")).to_contain_text("在用账户")


def test_it_shows_the_unit_tree_read_only_to_units(page) -> None:
    login(page, "liaison_a")
    page.get_by_test_id("nav").get_by_role("link", name="单位名录").click()
    expect(page.get_by_test_id("units").locator("tbody tr")).to_have_count(38)
    expect(page.get_by_role("link", name="新增单位")).to_have_count(0)


def test_it_previews_errors_then_imports(page, tmp_path) -> None:
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(BAD)
    good.write_bytes(GOOD)
    login(page, "sysadmin")
    page.get_by_test_id("nav").get_by_role("link", name="批量导入").click()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("未保存任何内容")
    expect(page.get_by_test_id("import-users")).to_contain_text("用户名“office”已被使用")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)

    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("import-ok")).to_contain_text("检查通过")
    expect(page.get_by_test_id("import-units")).to_contain_text("该单位已存在，将跳过")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("新增单位 3 个，用户 3 个")
    expect(page.get_by_test_id("import-passwords").locator("tbody tr")).to_have_count(3)
