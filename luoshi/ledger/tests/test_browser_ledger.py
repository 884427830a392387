"""The walk of the issue: 批示 → 立项 → 分解 → 交办 → 签收 / 退回 → 重新交办 → 签收."""

import pytest
from playwright.sync_api import expect

from conftest import login

pytestmark = pytest.mark.browser


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()


def add_task(page, task, unit, leader, person, due, target) -> None:
    form = page.get_by_test_id("assignment-form")
    form.get_by_label("任务内容").fill(task)
    form.get_by_label("牵头单位").select_option(label=f"　{unit}")
    form.get_by_label("责任领导").fill(leader)
    form.get_by_label("责任人", exact=True).fill(person)
    form.get_by_label("完成时限").fill(due)
    form.get_by_label("进度要求（不能量化时填写）").fill(target)
    form.get_by_role("button", name="添加任务").click()


def test_it_walks_an_instruction_from_draft_to_signed(page) -> None:
    login(page, "office")
    page.get_by_test_id("nav").get_by_role("link", name="督查台账").click()
    page.get_by_role("link", name="新建事项").click()
    form = page.get_by_test_id("matter-form")
    form.get_by_label("事项名称").fill("关于城区内涝点整治的批示")
    form.get_by_label("内容及要求").fill(
        "请住建局会同生态环境局排查城区内涝点，提出整治方案并报结果。"
    )
    form.get_by_label("事项来源").select_option(label="领导批示")
    form.get_by_label("分管领导").select_option(label="刘卫东（分管副市长）")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".field-error")).to_contain_text("须填写批示领导")
    form.get_by_label("批示领导").fill("张建国")
    form.get_by_label("批示内容").fill("请抓紧排查整治，一周内报结果。")
    form.get_by_label("收到日期").fill("2026-11-23")
    form.get_by_label("批示要求报送办理结果").check()
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("matter-status")).to_have_text("草稿")

    # Two tasks, added in place by htmx: the page does not reload.
    page.evaluate("window.__marker = 1")
    add_task(
        page,
        "排查城区内涝点并制定整治方案",
        "市住房和城乡建设局",
        "孙立军",
        "赵敏",
        "2026-12-02",
        "每周报送排查进展",
    )
    expect(page.get_by_test_id("assignments").locator("tr[data-assignment]")).to_have_count(1)
    add_task(
        page,
        "监测内涝点周边水体水质",
        "市生态环境局",
        "吴国平",
        "周婷",
        "2026-12-02",
        "每周报送监测数据",
    )
    expect(page.locator(".field-error")).to_have_count(0)
    expect(page.get_by_test_id("assignments").locator("tr[data-assignment]")).to_have_count(2)
    assert page.evaluate("window.__marker") == 1
    page.get_by_role("button", name="提交审批").click()
    expect(page.get_by_test_id("matter-status")).to_have_text("待审批")
    matter_url = page.url
    logout(page)

    login(page, "vleader")
    page.get_by_test_id("nav").get_by_role("link", name="我的待办").click()
    page.get_by_test_id("work-to-approve").get_by_role(
        "link", name="关于城区内涝点整治的批示"
    ).click()
    # Received Mon Nov 23 + 7 working days = Wed Dec 2.
    expect(page.get_by_test_id("due-preview")).to_have_text("2026年12月2日")
    page.get_by_role("button", name="同意立项").click()
    expect(page.get_by_test_id("matter-status")).to_have_text("已立项")
    expect(page.get_by_test_id("matter-number")).to_have_text("督〔2026〕0001号")
    expect(page.get_by_test_id("matter-due")).to_have_text("2026年12月2日")
    logout(page)

    login(page, "office")
    page.goto(matter_url)
    page.get_by_role("button", name="交办").click()
    expect(page.get_by_test_id("matter-status")).to_have_text("已交办")
    logout(page)

    login(page, "liaison_a")
    page.get_by_test_id("nav").get_by_role("link", name="我的待办").click()
    page.get_by_test_id("work-to-sign").get_by_role("link").first.click()
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_test_id("assignment-status")).to_have_text("办理中")
    logout(page)

    login(page, "liaison_b")
    page.get_by_test_id("nav").get_by_role("link", name="我的待办").click()
    page.get_by_test_id("work-to-sign").get_by_role("link").first.click()
    page.get_by_text("退回（非本单位职责）").click()
    page.get_by_label("退回理由").fill("内涝排查不属本局职责")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_test_id("assignment-status")).to_have_text("被退回")
    logout(page)

    login(page, "office")
    page.get_by_test_id("nav").get_by_role("link", name="我的待办").click()
    page.get_by_test_id("work-returned").get_by_role("link").first.click()
    expect(page.get_by_test_id("return-reason")).to_have_text("内涝排查不属本局职责")
    page.get_by_label("改由单位承办").select_option(label="　市住房和城乡建设局")
    page.get_by_role("button", name="重新交办").click()
    expect(page.get_by_test_id("lead-unit")).to_have_text("市住房和城乡建设局")
    expect(page.get_by_test_id("assignment-status")).to_have_text("待签收")
    logout(page)

    login(page, "head_a")
    page.get_by_test_id("nav").get_by_role("link", name="我的待办").click()
    page.get_by_test_id("work-to-sign").get_by_role("link").first.click()
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_test_id("assignment-status")).to_have_text("办理中")
    page.goto(matter_url)
    expect(page.get_by_test_id("matter-status")).to_have_text("办理中")
    expect(page.get_by_test_id("timeline")).to_contain_text("重新交办")
    logout(page)

    # The unit whose task was moved away no longer sees the matter.
    login(page, "liaison_b")
    response = page.goto(matter_url)
    assert response is not None and response.status == 404


def test_it_filters_and_saves_a_filter(page, users, units) -> None:
    from luoshi.ledger.tests.factories import make_matter

    make_matter(users, units, title="安全生产大检查")
    make_matter(users, units, title="城市绿化提升", priority="normal")
    login(page, "office")
    page.goto("/ledger/")
    expect(page.get_by_test_id("ledger").locator("tbody tr")).to_have_count(2)
    page.locator("summary", has_text="筛选").click()
    page.get_by_test_id("filters").get_by_label("关键词").fill("安全生产")
    page.get_by_test_id("filters").get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("ledger").locator("tbody tr")).to_have_count(1)
    page.get_by_label("保存为常用筛选").fill("安全生产")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".saved-filters")).to_contain_text("安全生产")
    page.goto("/ledger/")
    page.locator(".saved-filters").get_by_role("link", name="安全生产").click()
    expect(page.get_by_test_id("ledger").locator("tbody tr")).to_have_count(1)
