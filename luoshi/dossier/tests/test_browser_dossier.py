"""一事一档 in a real browser: the office downloads the ZIP from the matter page, and the
link fits a 375 px phone."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import Page, expect

from conftest import login
from luoshi.followup.services import reports
from luoshi.followup.tests.conftest import PNG, upload
from luoshi.ledger import services
from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.browser


@pytest.fixture
def running(users, units, now, no_office):
    """A signed task with one report and its photo (no LibreOffice: the PDF is tested once,
    at the service level)."""
    matter = make_matter(users, units, title="老旧小区改造", assigned=True)
    a = matter.assignments.get()
    services.assignment_sign(users["liaison_a"], a)
    reports.report_submit(users["head_a"], a, text="已完成 12 个小区的施工招标工作。",
                          progress=40, files=[upload("现场照片.png", PNG)])  # fmt: skip
    return matter


def test_the_office_downloads_the_dossier(page: Page, phone_page: Page, running) -> None:
    login(page, "office")
    page.goto(f"/ledger/{running.pk}/")
    link = page.get_by_role("link", name="一事一档（ZIP）")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "一事一档_督〔2026〕0001号.zip"
    with zipfile.ZipFile(download.path()) as zf:
        names = zf.namelist()
        assert names[:2] == ["事项概要.docx", "办理情况/01_市住房和城乡建设局_2026-11-23.txt"]
        photo = "附件/办理情况01_市住房和城乡建设局_2026-11-23/现场照片.png"
        assert zf.read(photo) == PNG
        assert names[-4:] == ["事项记录.xlsx", "事项记录.csv", "说明.txt", "清单.txt"]

    login(phone_page, "office")
    phone_page.goto(f"/ledger/{running.pk}/")
    expect(phone_page.get_by_test_id("dossier-link")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
