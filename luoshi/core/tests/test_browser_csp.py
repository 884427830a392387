"""The Content-Security-Policy in a real browser: the office walks the main pages (charts,
htmx, the 挂图作战 chart, a print view, the API docs) and the browser reports no violation.

Chromium logs every refused script, style or eval to the console as "… violates the
following Content Security Policy directive …"; any such line fails the test."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from conftest import login
from luoshi.ledger import lights
from luoshi.urging.services import urging_issue
from luoshi.workbench.tests.scenario import make_task

pytestmark = pytest.mark.browser


def test_it_walks_the_main_pages_without_a_policy_violation(page: Page, users, units) -> None:
    task = make_task(users, units, "安全策略检查事项", date(2026, 12, 31),
                     milestones=[(date(2026, 11, 10), "完成摸底调查")])  # fmt: skip
    make_task(users, units, "另一事项", date(2026, 11, 25), lead="市生态环境局")
    lights.refresh_all()
    text = "请加快办理进度，本周内报送进展。"
    notice = urging_issue(users["office"], task, unit=task.lead_unit, text=text)
    violations: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if "Content Security Policy" in msg.text:
            violations.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: violations.append(f"page error: {exc}"))

    login(page, "office")
    for path in (
        "/",
        "/ledger/",
        f"/ledger/{task.matter_id}/",
        f"/tasks/{task.pk}/",
        "/tasks/",
        "/lights/",
        "/urging/",
        f"/urging/{notice.pk}/",
        f"/urging/{notice.pk}/print/",
        "/documents/",
        "/notifications/",
        "/org/units/",
        "/reminders/log/",
        "/public/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path

    # The 挂图作战 bars are placed by luoshi.js from data- attributes, not inline styles.
    page.goto(f"/ledger/{task.matter_id}/")
    bar = page.get_by_test_id("gantt-bar").first
    assert bar.evaluate("el => el.style.left.endsWith('%') && el.style.width.endsWith('%')")

    # ECharts draws and shows its tooltips under the policy.
    page.goto("/stats/")
    expect(page.locator("html")).to_have_attribute("data-charts-ready", "6")
    chart = page.locator("[data-chart]").first
    chart.hover()
    chart.hover(position={"x": 60, "y": 40})

    # htmx swaps in the calculator's answer (and sends the CSRF header it needs for posts).
    page.goto("/calendar/")
    page.get_by_label("起算日期").fill("2026-09-30")
    page.get_by_label("工作日数").fill("1")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("calc-result")).to_contain_text("2026年10月8日")

    # Swagger UI loads its start-up script from its own URL instead of inline.
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("落实")

    assert violations == [], "\n".join(violations)
