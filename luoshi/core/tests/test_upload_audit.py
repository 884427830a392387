"""Every place files come in uses the one check, and every refusal lands in the audit log
(written outside the service's transaction, which is rolled back)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.core.tests import files
from luoshi.core.tests.tasking import api
from luoshi.followup.models import Attachment, ProgressReport
from luoshi.followup.services import reports
from luoshi.sheets.models import SheetImport

pytestmark = pytest.mark.django_db
TEXT = "已完成 12 个小区的施工招标工作。"


def rejected() -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(event=Event.FILE_REJECTED).order_by("seq"))


def test_the_report_form_refuses_a_renamed_macro_document_and_logs_it(client, users, task):
    client.force_login(users["liaison_a"])
    macro = SimpleUploadedFile("整改方案.docx", files.package("docm"),
                               content_type="application/vnd.openxmlformats-officedocument")  # fmt: skip
    r = client.post(f"/followup/tasks/{task.pk}/report/",
                    {"report-text": TEXT, "report-progress": "40", "report-files": [macro]})  # fmt: skip
    assert r.status_code == 400
    assert "“整改方案.docx”含有宏" in r.content.decode()
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    [record] = rejected()
    assert (record.username, record.object_repr, record.success) == (
        "liaison_a", "整改方案.docx", False)  # fmt: skip
    assert record.detail.startswith("macro")


def test_the_api_refuses_a_zip_bomb_and_logs_it(users, task) -> None:
    bomb = SimpleUploadedFile("照片说明.docx", files.bomb_by_ratio())
    r = api(users["liaison_a"]).post(
        f"/api/v1/assignments/{task.pk}/reports/",
        {"text": TEXT, "progress": 40, "files": [bomb]}, format="multipart",
    )  # fmt: skip
    assert r.status_code == 400 and r.json()["field"] == "files"
    assert "“照片说明.docx”压缩比异常" in r.json()["detail"]
    [record] = rejected()
    assert record.username == "liaison_a" and record.detail.startswith("archive_ratio")
    assert not Attachment.objects.exists()


def test_the_ledger_import_refuses_a_word_file_renamed_xlsx(client, users, now) -> None:
    from luoshi.core.tests.test_uploads import real_docx

    client.force_login(users["office"])
    upload = SimpleUploadedFile("分解表.xlsx", real_docx())
    r = client.post("/sheets/import/", {"file": upload, "year": 2026, "source": "work_report",
                                        "category": "decision"})  # fmt: skip
    assert "“分解表.xlsx”的内容与扩展名不符" in r.content.decode()
    assert SheetImport.objects.count() == 0
    [record] = rejected()
    assert record.username == "office" and record.detail.startswith("mismatch")


def test_the_unit_import_refuses_a_macro_workbook(client, users, now) -> None:
    client.force_login(users["sysadmin"])
    xlsm = files.package("xlsx", {"xl/vbaProject.bin": b"\0" * 32})
    r = client.post("/org/import/", {"file": SimpleUploadedFile("单位.xlsx", xlsm)})
    assert r.status_code == 200 and "“单位.xlsx”含有宏" in r.content.decode()
    [record] = rejected()
    assert record.username == "sysadmin" and record.detail.startswith("macro")
    # Size: the import limit is 10 MB, stated with the file's name.
    r = client.post("/org/import/", {"file": SimpleUploadedFile("不是.pdf", files.PDF)})
    assert "“不是.pdf”的类型不允许上传，只能上传 .xlsx 格式的 Excel 工作簿" in r.content.decode()
    assert len(rejected()) == 2


def test_a_stored_file_gets_a_random_name_a_clean_display_name_and_the_sniffed_type(
    users, task
) -> None:
    shot = SimpleUploadedFile("..\\..\\现场\r\n照片.png", files.PNG, content_type="text/html")
    wps = SimpleUploadedFile("汇报.wps", files.doc(), content_type="application/octet-stream")
    reports.report_submit(users["liaison_a"], task, text=TEXT, progress=40, files=[shot, wps])
    photo, document = Attachment.objects.order_by("id")
    assert (photo.name, photo.content_type) == ("现场照片.png", "image/png")
    assert (document.name, document.content_type) == ("汇报.wps", "application/vnd.ms-works")
    assert re.fullmatch(rf"evidence/{task.pk}/[0-9a-f]{{32}}\.png", str(photo.file.name))
