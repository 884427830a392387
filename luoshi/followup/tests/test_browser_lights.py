"""The lights in the browser as the nightly loop runs over the National Day holiday, and the
ledger and matter page (with its 挂图作战 chart) on a phone."""

from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from conftest import login
from luoshi.ledger import lights
from luoshi.workbench.tests.scenario import make_task

pytestmark = pytest.mark.browser

WORDS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
# Due Monday Oct 12. Oct 1–7 is the holiday; Saturday Oct 10 is a 调休 working day.
DAYS = [
    ("2026-10-07", "green"),  # Oct 8, 9, 10, 12 left: four working days
    ("2026-10-08", "yellow"),  # Oct 9, 10, 12: three
    ("2026-10-12", "yellow"),  # the deadline itself
    ("2026-10-13", "red"),
]


def as_user(page, username: str) -> None:
    # Each day is a new session: the clock jumps past the 8-hour session anyway.
    page.context.clear_cookies()
    login(page, username)


def expect_badge(row, light: str) -> None:
    badge = row.get_by_test_id("light").first
    expect(badge).to_have_attribute("data-light", light)
    expect(badge).to_contain_text(WORDS[light])


@pytest.fixture
def due_monday(users, units):
    with time_machine.travel("2026-09-28 09:00 +0800", tick=False):
        a = make_task(users, units, "国庆节后到期事项", date(2026, 10, 12))
    assert a.next_report_due is None  # the first monthly report would fall after the deadline
    return a


def test_the_light_turns_as_the_clock_crosses_the_holiday(page, due_monday) -> None:
    a = due_monday
    for day, light in DAYS:
        with time_machine.travel(f"{day} 00:05 +0800", tick=False):
            lights.refresh_all()  # the nightly step
        with time_machine.travel(f"{day} 09:00 +0800", tick=False):
            as_user(page, "office")
            page.goto("/ledger/")
            expect_badge(page.locator(f'tr[data-matter="{a.matter_id}"]'), light)
            page.goto("/")
            expect(page.get_by_test_id(f"lights-{light}").locator(".value")).to_have_text("1")
            if light != "green":
                listed = page.get_by_test_id(f"list-{light}")
                expect(listed).to_contain_text("国庆节后到期事项")
                expect_badge(listed, light)
            page.goto(f"/ledger/{a.matter_id}/")
            expect_badge(page.locator(f'tr[data-assignment="{a.pk}"]'), light)
            expect(page.get_by_test_id("gantt-bar")).to_have_attribute("data-tone", light)

            as_user(page, "liaison_a")
            page.goto("/tasks/")
            expect_badge(page.locator(f'tr[data-assignment="{a.pk}"]'), light)
            page.goto(f"/tasks/{a.pk}/")
            expect_badge(page.get_by_test_id("task-light"), light)
            page.goto("/")
            overdue = page.get_by_test_id("work-overdue").locator(".value")
            expect(overdue).to_have_text("1" if light == "red" else "0")
            if light == "red":  # one click from the workbench to the task
                listed = page.get_by_test_id("list-overdue")
                expect_badge(listed, "red")
                listed.get_by_role("link", name="国庆节后到期事项").click()
                expect(page).to_have_url(f"/tasks/{a.pk}/")


def test_the_task_list_filters_by_light(page, due_monday) -> None:
    with time_machine.travel("2026-10-13 09:00 +0800", tick=False):
        lights.refresh_all()
        as_user(page, "office")
        page.goto("/lights/")
        row = page.get_by_test_id("unit-lights").locator("tbody tr").first
        expect(row).to_contain_text("市住房和城乡建设局")
        row.get_by_role("link", name="市住房和城乡建设局红灯 1 项").click()
        expect(page.get_by_test_id("task-filter-note")).to_contain_text("市住房和城乡建设局")
        expect(page.get_by_test_id("tasks").locator("tbody tr")).to_have_count(1)
        page.get_by_label("亮灯").select_option(label="绿灯")
        page.get_by_role("button", name="筛选").click()
        expect(page.get_by_test_id("tasks")).to_contain_text("没有承办任务")


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide"


def test_the_ledger_and_the_chart_fit_a_phone(phone_page, users, units) -> None:
    a = make_task(users, units, "手机上的挂图事项", date(2026, 12, 31),
                  milestones=[(date(2026, 11, 10), "完成摸底调查"),
                              (date(2026, 12, 10), "完成施工招标")])  # fmt: skip
    lights.refresh_all()
    login(phone_page, "office")
    phone_page.goto("/ledger/")
    expect_badge(phone_page.locator(f'tr[data-matter="{a.matter_id}"]'), "green")
    no_sideways_scroll(phone_page)
    phone_page.goto(f"/ledger/{a.matter_id}/")
    expect(phone_page.get_by_test_id("gantt-milestone")).to_have_count(2)
    expect(phone_page.get_by_test_id("gantt-milestone").first).to_have_attribute(
        "data-state", "overdue"
    )
    expect(phone_page.get_by_test_id("gantt-today")).to_be_visible()
    no_sideways_scroll(phone_page)
    # The chart keeps a readable width and scrolls inside its own box.
    box = phone_page.get_by_test_id("gantt-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert box.evaluate("el => el.getBoundingClientRect().right") <= 375
    phone_page.goto("/")
    no_sideways_scroll(phone_page)
    phone_page.goto("/lights/")
    no_sideways_scroll(phone_page)
