"""The office reveals a responsible person's masked phone on the task page, in place (htmx),
on a desktop and on a 375 px phone; a liaison sees it masked with nothing to click."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import login
from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.core.tests.tasking import PHONE

pytestmark = pytest.mark.browser


def reveal(pg: Page, task_pk: int) -> None:
    pg.goto(f"/tasks/{task_pk}/")
    responsible = pg.get_by_test_id("responsible")
    expect(responsible).to_contain_text("某科长 138****5678")
    responsible.get_by_role("link", name="显示").click()
    expect(responsible.get_by_role("link", name=PHONE)).to_be_visible()
    expect(responsible).not_to_contain_text("138****5678")
    assert pg.url.endswith(f"/tasks/{task_pk}/")  # swapped in place, not a new page


def test_the_office_reveals_a_masked_phone(page: Page, phone_page: Page, task) -> None:
    login(page, "office")
    reveal(page, task.pk)
    login(phone_page, "inspector")
    reveal(phone_page, task.pk)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    views = AuditRecord.objects.filter(event=Event.PII_VIEW).order_by("seq")
    assert [r.username for r in views] == ["office", "inspector"]

    page.context.clear_cookies()
    login(page, "liaison_a")
    page.goto(f"/tasks/{task.pk}/")
    expect(page.get_by_test_id("responsible")).to_contain_text("138****5678")
    expect(page.get_by_test_id("reveal-phone")).to_have_count(0)
