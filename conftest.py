"""Shared fixtures: demo data, a user per role, and a headless Chromium for browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from luoshi.core.tests import demo_city, fast_flush
from luoshi.core.tests.demo_city import DemoCity

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself are still synchronous, so the async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A working Monday, with 2026 published and 2027 not yet: the situation in late November.
DEFAULT_NOW = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    demo_city.order_items(items)  # after pytest-django's own ordering


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    demo_city.before_setup(item)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        demo_city.after_teardown(nextitem)


@pytest.fixture(scope="session", autouse=True)
def _fast_flush() -> Iterator[None]:
    fast_flush.install()  # transactional tests: rows deleted, content types kept
    yield
    fast_flush.uninstall()


@pytest.fixture
def now() -> Iterator[datetime]:
    import time_machine

    with time_machine.travel(DEFAULT_NOW, tick=True):
        yield DEFAULT_NOW


@pytest.fixture
def calendar_seeded(db: None) -> None:
    """The official schedules, also after a transactional test emptied the tables (then
    copied back: ``demo_city.Seeding``)."""
    from luoshi.workcal import calendar

    demo_city.CALENDAR.run()
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
def demo(calendar_seeded: None, _demo_city: DemoCity) -> dict[str, object]:
    from luoshi.accounts.models import User
    from luoshi.org.models import Unit

    # Each test builds the matters it needs. A transactional test commits (and is emptied
    # after): it puts the city in itself.
    if not _demo_city.is_open:
        demo_city.CITY.run()
    return {
        "users": {u.username: u for u in User.objects.all()},
        "units": {u.name: u for u in Unit.objects.all()},
    }


@pytest.fixture(scope="session")
def _demo_city(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoCity]:
    city = DemoCity(django_db_blocker)
    demo_city.register(city)
    yield city
    demo_city.register(None)
    city.close()


@pytest.fixture
def users(demo: dict[str, dict[str, object]]) -> dict[str, object]:
    return demo["users"]


@pytest.fixture
def units(demo: dict[str, dict[str, object]]) -> dict[str, object]:
    return demo["units"]


@pytest.fixture(scope="module")
def scene_once(_demo_city: DemoCity, django_db_blocker: Any) -> Iterator[Any]:
    """The 工作台 scenario (luoshi/workbench/tests/scenario.py, some 2,000 queries) built once
    for a test file."""
    from luoshi.workbench.tests.scenario import build_on_its_own_clock

    yield from demo_city.built_once(_demo_city, django_db_blocker, build_on_its_own_clock)


@pytest.fixture
def scene(scene_once: Any, users: Any, units: Any, clock: Any) -> dict[str, Any]:
    """The scenario's objects, on the test's frozen ``clock`` at 2026-11-23 09:30."""
    from luoshi.workbench.tests.scenario import build

    if scene_once is None:
        return build(users, units, clock)
    return demo_city.copy_built(scene_once, users, units)


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
    # Wait for the page the form posts to (not for the network to fall idle: that costs
    # half a second of silence each time, and the tests' own expectations wait as needed).
    with pg.expect_navigation():
        pg.get_by_role("button", name="登录").click()
    if secret and "/accounts/mfa/verify/" in pg.url:
        pg.get_by_label("动态口令", exact=True).fill(current_code(secret))
        with pg.expect_navigation():
            pg.get_by_role("button", name="验证").click()


@pytest.fixture
def log_in():
    return login
