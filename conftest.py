"""Shared fixtures: demo data, a user per role, and a headless Chromium for browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself are still synchronous, so the async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A working Monday, with 2026 published and 2027 not yet: the situation in late November.
DEFAULT_NOW = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def now() -> Iterator[datetime]:
    import time_machine

    with time_machine.travel(DEFAULT_NOW, tick=True):
        yield DEFAULT_NOW


@pytest.fixture
def calendar_seeded(db: None) -> None:
    """The official schedules, also after a transactional test flushed the tables."""
    from luoshi.workcal import calendar
    from luoshi.workcal.services import calendar_seed_from_package

    calendar_seed_from_package()
    calendar.invalidate()


@pytest.fixture
def year_2027(users):
    """2027 entered and published by the office (with New Year's Day as its only holiday)."""
    from luoshi.workcal import calendar
    from luoshi.workcal.services import (
        calendar_days_set,
        calendar_year_create,
        calendar_year_set_status,
    )

    calendar_year_create(users["office"], 2027)
    calendar_days_set(users["office"], date(2027, 1, 1), date(2027, 1, 1), "holiday", "元旦")
    calendar_year_set_status(users["office"], 2027, "published")
    calendar.invalidate()


@pytest.fixture
def demo(calendar_seeded: None) -> dict[str, object]:
    from luoshi.accounts.models import User
    from luoshi.demo.services import seed_demo
    from luoshi.org.models import Unit

    seed_demo(with_matters=False)  # each test builds the matters it needs
    return {
        "users": {u.username: u for u in User.objects.all()},
        "units": {u.name: u for u in Unit.objects.all()},
    }


@pytest.fixture
def users(demo: dict[str, dict[str, object]]) -> dict[str, object]:
    return demo["users"]


@pytest.fixture
def units(demo: dict[str, dict[str, object]]) -> dict[str, object]:
    return demo["units"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, demo, now):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser, live_server, demo, now):
    context = browser.new_context(
        locale="zh-CN",
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def login(pg, username: str, password: str = "Luoshi@2026") -> None:  # noqa: S107
    from luoshi.mfa.testing import current_code, prepare_login

    # Roles that need a second factor get a device with a known secret (through the ORM).
    secret = prepare_login(username)
    pg.goto("/accounts/login/")
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(password)
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_load_state("networkidle")
    if secret and "/accounts/mfa/verify/" in pg.url:
        pg.get_by_label("动态口令", exact=True).fill(current_code(secret))
        pg.get_by_role("button", name="验证").click()
        pg.wait_for_load_state("networkidle")


@pytest.fixture
def log_in():
    return login
