"""An office admin sets the reminder rules and reads what was sent (desktop and phone)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from luoshi.reminders.models import ReminderPolicy
from luoshi.reminders.sweep import sweep
from luoshi.workbench.tests.scenario import make_task

pytestmark = pytest.mark.browser


def test_office_sets_rules_and_reads_the_log(page, users, units, log_in):
    task = make_task(users, units, "提醒浏览器事项", date(2026, 11, 26), cycle="once")
    with time_machine.travel("2026-11-24 08:00 +0800", tick=False):
        sweep()  # Tuesday: catches up with the stage of Monday (3 working days before)
    log_in(page, "office")
    page.get_by_test_id("nav").get_by_role("link", name="提醒规则").click()
    page.get_by_label("完成时限前提醒节点（工作日）").fill("2,0")
    page.get_by_test_id("recipient-grid").get_by_role("row", name="签收提醒").get_by_label(
        "单位负责人"
    ).uncheck()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存提醒规则").wait_for()
    active = page.get_by_test_id("nav").locator("a.active")
    assert active.count() == 1 and active.inner_text() == "提醒规则"
    policy = ReminderPolicy.objects.get()
    assert policy.deadline_stages == "2,0" and "unit_head" not in policy.groups("sign")

    page.get_by_label("完成时限前提醒节点（工作日）").fill("明天")
    page.get_by_role("button", name="保存").click()
    page.locator(".field-error").filter(has_text="提醒节点").wait_for()
    assert ReminderPolicy.objects.get().deadline_stages == "2,0"

    with time_machine.travel("2026-11-24 08:00 +0800", tick=False):
        sweep()  # the new stage (2 working days before) fires today
    page.get_by_test_id("nav").get_by_role("link", name="提醒记录").click()
    page.get_by_label("提醒日期").fill("2026-11-24")
    page.get_by_role("button", name="查询").click()
    log = page.get_by_test_id("reminder-log")
    log.get_by_text("还有 2 个工作日").first.wait_for()
    assert task.matter.title in log.inner_text()


def test_the_rules_page_fits_a_phone(phone_page, log_in):
    log_in(phone_page, "office")
    phone_page.goto("/reminders/policy/")
    phone_page.get_by_test_id("recipient-grid").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
