"""The office admin's first login in a real browser: sent to enrolment, reads the secret off
the page, types the app's code, keeps the recovery codes, lands on the workbench; then logs
out and in again with a fresh code. The enrolment page fits a 375 px phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from playwright.sync_api import Page, expect

from conftest import login
from luoshi.mfa.models import TotpDevice

pytestmark = pytest.mark.browser
PASSWORD = "Luoshi@2026"
ENROL = re.compile(r"/accounts/mfa/enrol/$")
VERIFY = re.compile(r"/accounts/mfa/verify/$")


def _password(pg: Page, username: str) -> None:
    pg.goto("/accounts/login/")
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()


def test_it_enrols_the_office_admin_and_logs_in_with_a_code(page: Page, users) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    _password(page, "office")
    expect(page).to_have_url(ENROL)
    expect(page.get_by_role("heading", name="绑定动态口令")).to_be_visible()
    expect(page.get_by_test_id("mfa-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("mfa-secret").inner_text().replace(" ", "")
    assert len(secret) == 32
    assert TotpDevice.objects.get(user=users["office"]).confirmed_at is None

    form = page.get_by_test_id("mfa-enrol-form")
    form.get_by_label("动态口令").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "1")
    form.get_by_role("button", name="确认绑定").click()
    expect(page.get_by_role("alert")).to_contain_text("还可以再试 4 次")
    form = page.get_by_test_id("mfa-enrol-form")
    form.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
    form.get_by_role("button", name="确认绑定").click()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    first_code = codes.first.inner_text()
    page.get_by_role("button", name="我已保存").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_contain_text(users["office"].name)
    assert len(first_code) == 11

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    # Half a minute on, the app shows a new code; the one used for enrolment is spent.
    with time_machine.travel(timedelta(seconds=30)):
        _password(page, "office")
        expect(page).to_have_url(VERIFY)
        page.get_by_label("动态口令", exact=True).fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="验证").click()
        expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    assert violations == []


def _fits(pg: Page, what: str) -> None:
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{what} is {width}px wide on a 375px phone"


def test_it_fits_the_enrolment_and_admin_pages_on_a_phone(phone_page: Page) -> None:
    _password(phone_page, "auditor")
    expect(phone_page).to_have_url(ENROL)
    expect(phone_page.get_by_test_id("mfa-qr").locator("svg")).to_be_visible()
    _fits(phone_page, "the enrolment page")
    box = phone_page.get_by_test_id("mfa-qr").bounding_box()
    assert box is not None and box["width"] >= 150  # still big enough to scan
    phone_page.get_by_role("button", name="暂不绑定，返回登录").click()

    login(phone_page, "secadmin")
    phone_page.goto("/accounts/mfa/devices/?status=missing")
    expect(phone_page.get_by_test_id("mfa-devices")).to_contain_text("auditor")
    _fits(phone_page, "动态口令管理")
