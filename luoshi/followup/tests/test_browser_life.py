"""The whole life of a task through the pages, each person in his own browser:
签收 → 反馈 → 审核 → 退回 → 重报 → 采纳 → 延期 → 申请办结 → 核查退回 → 再申请 → 核查（实地）
→ 呈报 → 续办 → 办结 → 呈报 → 销号 → 归档 (read-only)."""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import login
from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.browser

REPORT = "已完成 12 个小区的施工招标工作，3 个小区已进场施工。"
REASON = "受冬季施工条件限制，外墙保温工程须待气温回升后施工，申请延期一个月。"


def tiny_png() -> bytes:
    """A real 4×3 picture, so the thumbnail shows that the file is served and decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xb7\x1c\x1c" * 4 for _ in range(3))
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def test_it_walks_the_whole_life_of_a_task(
    browser, phone_page, live_server, users, units, year_2027
) -> None:
    matter = make_matter(users, units, title="老旧小区改造提升", assigned=True)
    task_url = f"/tasks/{matter.assignments.get().pk}/"
    matter_url = f"/ledger/{matter.pk}/"
    opened: dict[str, Page] = {}

    def as_user(username: str, url: str) -> Page:
        """Switch to ``username``'s own browser (logged in once) on ``url``."""
        if username not in opened:
            context = browser.new_context(locale="zh-CN", base_url=live_server.url)
            context.set_default_timeout(10_000)
            pg = context.new_page()
            pg.on("dialog", lambda d: d.accept())  # the 销号 / 归档 confirmations
            login(pg, username)
            opened[username] = pg
        pg = opened[username]
        pg.goto(url)
        return pg

    try:
        walk(as_user, task_url, matter_url, phone_page)
    finally:
        for pg in opened.values():
            pg.context.close()


def walk(as_user: Any, task_url: str, matter_url: str, phone_page: Page) -> None:
    # Another unit does not even learn the task exists.
    pb = as_user("liaison_b", "/")
    response = pb.goto(task_url)
    assert response is not None and response.status == 404

    pa = as_user("liaison_a", task_url)
    pa.get_by_role("button", name="签收", exact=True).click()
    expect(pa.get_by_test_id("assignment-status")).to_have_text("办理中")
    expect(pa.get_by_test_id("task-light")).to_contain_text("绿灯")
    expect(pa.get_by_test_id("next-report")).to_have_text("2026年11月30日")

    # The forms fit a phone: nothing sticks out sideways.
    login(phone_page, "liaison_a")
    phone_page.goto(task_url)
    unfold(phone_page, "申请延期")
    unfold(phone_page, "申请办结")
    expect(phone_page.get_by_test_id("extension-form")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    # 反馈 with a photo → the head approves → the office returns it with a comment.
    form = pa.get_by_test_id("report-form")
    form.get_by_label("办理情况").fill(REPORT)
    form.get_by_label("完成进度（%）").fill("40")
    form.get_by_label("佐证材料").set_input_files(
        [{"name": "施工现场.png", "mimeType": "image/png", "buffer": tiny_png()}]
    )
    form.get_by_role("button", name="报送").click()
    expect(pa.get_by_test_id("report-status")).to_have_text("待单位负责人审核")
    thumb = pa.get_by_test_id("evidence").get_by_role("img", name="施工现场.png")
    expect(thumb).to_have_js_property("naturalWidth", 4)

    ph = as_user("head_a", task_url)
    ph.get_by_test_id("head-decision").get_by_role("button", name="审核通过").click()
    expect(ph.get_by_test_id("report-status")).to_have_text("待督查室审核")

    po = as_user("office", task_url)
    review = po.get_by_test_id("review-decision")
    review.get_by_role("button", name="退回", exact=True).click()
    expect(po.locator(".field-error")).to_contain_text("请填写退回意见（至少 5 个字）")
    review = po.get_by_test_id("review-decision")
    review.get_by_label("审核意见（退回时必填）").fill("请补充资金到位情况。")
    review.get_by_role("button", name="退回", exact=True).click()
    expect(po.get_by_test_id("report-status")).to_have_text("被退回")

    # Corrected and sent again: the returned version stays on the page.
    pa = as_user("liaison_a", task_url)
    resubmit = pa.get_by_test_id("resubmit-form")
    expect(resubmit.get_by_label("办理情况")).to_have_value(REPORT)
    resubmit.get_by_label("办理情况").fill(REPORT + "资金已到位 3000 万元。")
    resubmit.get_by_label("完成进度（%）").fill("45")
    resubmit.get_by_role("button", name="重新报送").click()
    expect(pa.get_by_test_id("report-status")).to_have_text("待单位负责人审核")
    ph = as_user("head_a", task_url)
    ph.get_by_role("button", name="审核通过").click()
    po = as_user("office", task_url)
    po.get_by_test_id("review-decision").get_by_role("button", name="采纳").click()
    expect(po.get_by_test_id("report-status")).to_have_text("已采纳")
    expect(po.get_by_test_id("revision")).to_have_count(2)
    expect(po.get_by_test_id("outcome").first).to_contain_text("请补充资金到位情况。")

    # 延期: a live count toward 20 characters; the office, then the leader, approve.
    pa = as_user("liaison_a", task_url)
    unfold(pa, "申请延期")
    ext = pa.get_by_test_id("extension-form")
    ext.get_by_label("申请延至").fill("2027-01-29")
    ext.get_by_label("延期理由").fill("天气原因")
    expect(ext.get_by_test_id("char-count")).to_have_text("已输入 4 字，还需 16 字")
    ext.get_by_label("延期理由").fill(REASON)
    expect(ext.get_by_test_id("char-count")).to_have_text(f"已输入 {len(REASON)} 字")
    ext.get_by_role("button", name="提交延期申请").click()
    expect(pa.get_by_test_id("extension-status")).to_have_text("待督查室审核")
    po = as_user("office", task_url)
    po.get_by_test_id("extension-decision").get_by_role(
        "button", name="同意延期", exact=True
    ).click()
    expect(po.get_by_test_id("extension-status")).to_have_text("待领导审批")
    pv = as_user("vleader", task_url)
    pv.get_by_test_id("extension-decision").get_by_label("审批意见（不同意时必填）").fill("同意")
    pv.get_by_role("button", name="同意延期", exact=True).click()
    expect(pv.get_by_test_id("extension-status")).to_have_text("已批准")
    expect(pv.get_by_test_id("task-due")).to_have_text("2027年1月29日")
    expect(pv.get_by_test_id("original-due")).to_have_text("原定 2026年12月31日")

    # 申请办结 → 核查退回 → 再申请 → 核查通过 with an on-site check.
    request_completion(as_user("liaison_a", task_url), "全部 20 个小区改造完成，已通过竣工验收。")
    po = as_user("office", task_url)
    check = po.get_by_test_id("verify-form")
    check.get_by_label("核查意见（退回时必填）").fill("3 个小区外墙保温未完工。")
    check.get_by_role("button", name="退回继续办理").click()
    expect(po.get_by_test_id("assignment-status")).to_have_text("办理中")
    request_completion(as_user("liaison_a", task_url), "外墙保温已全部完工，全部小区通过验收。")
    po = as_user("office", task_url)
    check = po.get_by_test_id("verify-form")
    check.get_by_label("实地核查日期").fill("2026-11-23")
    check.get_by_label("核查人员").fill("李明、王芳")
    check.get_by_label("实地核查情况").fill("现场查看 5 个小区，外墙保温已完工。")
    check.get_by_role("button", name="核查通过").click()
    expect(po.get_by_test_id("assignment-status")).to_have_text("已办结")
    expect(po.get_by_test_id("onsite")).to_contain_text("李明、王芳")

    # 呈报 → 续办 with a new requirement and deadline.
    po = as_user("office", matter_url)
    po.get_by_test_id("report-to-leader").get_by_role("button", name="呈报").click()
    expect(po.get_by_test_id("matter-status")).to_have_text("已呈报")
    pv = as_user("vleader", matter_url)
    unfold(pv, "续办")
    cont = pv.get_by_test_id("continue-form")
    cont.get_by_label("续办要求").fill("对改造小区开展回头看，巩固改造成效。")
    cont.get_by_label("续办完成时限").fill("2027-02-26")
    cont.get_by_role("button", name="批示续办").click()
    expect(pv.get_by_test_id("matter-status")).to_have_text("办理中")

    pa = as_user("liaison_a", task_url)
    expect(pa.get_by_test_id("task-due")).to_have_text("2027年2月26日")
    expect(pa.get_by_test_id("deadline-history")).to_contain_text("时限变更记录（2）")
    request_completion(pa, "回头看已完成，改造成效巩固，群众满意。")
    po = as_user("office", task_url)
    po.get_by_test_id("verify-form").get_by_role("button", name="核查通过").click()
    expect(po.get_by_test_id("assignment-status")).to_have_text("已办结")
    po = as_user("office", matter_url)
    po.get_by_role("button", name="呈报").click()
    expect(po.get_by_test_id("matter-status")).to_have_text("已呈报")

    # The leader's closing panel fits a phone as well.
    phone_page.get_by_role("button", name="退出").click()
    login(phone_page, "vleader")
    phone_page.goto(matter_url)
    unfold(phone_page, "续办")
    panel = phone_page.get_by_test_id("leader-decision")
    expect(panel.get_by_label("续办要求")).to_be_visible()
    widest = "p => Math.max(...[p, ...p.querySelectorAll('*')].map(e => e.getBoundingClientRect().right))"
    assert panel.evaluate(widest) <= 375

    # 销号 → 归档: read-only, no buttons left on either page.
    pv = as_user("vleader", matter_url)
    pv.get_by_test_id("close-form").get_by_role("button", name="销号").click()
    expect(pv.get_by_test_id("matter-status")).to_have_text("已销号")
    po = as_user("office", matter_url)
    po.get_by_test_id("archive").get_by_role("button", name="归档").click()
    expect(po.get_by_test_id("matter-status")).to_have_text("已归档")
    expect(po.get_by_test_id("read-only")).to_have_text("本事项已归档，只能查看，不能再办理。")
    expect(po.locator("main button")).to_have_count(0)
    pa = as_user("liaison_a", task_url)
    expect(pa.get_by_test_id("read-only")).to_be_visible()
    expect(pa.locator("main button")).to_have_count(0)


def unfold(pg: Page, summary: str) -> None:
    pg.locator("summary").filter(has_text=re.compile(f"^{summary}$")).click()


def request_completion(pg: Page, result: str) -> None:
    unfold(pg, "申请办结")
    form = pg.get_by_test_id("completion-form")
    form.get_by_label("办理结果").fill(result)
    form.get_by_role("button", name="申请办结").click()
    expect(pg.get_by_test_id("assignment-status")).to_have_text("申请办结")
