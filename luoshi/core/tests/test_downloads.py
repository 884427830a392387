"""Downloads: the SHA-256 recorded at upload is checked before a byte is sent (page, API and
the 一事一档 ZIP); a safe Content-Disposition; only those who see the task get its files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.core import downloads
from luoshi.core.tests import files
from luoshi.core.tests.tasking import api
from luoshi.followup.models import Attachment
from luoshi.followup.services import reports

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "inline", "fallback", "header"),
    [
        ("现场 照片.png", True, "evidence-7.png",
         "inline; filename=\"evidence-7.png\"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%20%E7%85%A7%E7%89%87.png"),
        ('a"b\r\nSet-Cookie: x.pdf', False, None,
         "attachment; filename=\"a_bSet-Cookie: x.pdf\"; filename*=UTF-8''a%22bSet-Cookie%3A%20x.pdf"),
        ("../../etc/passwd", False, None,
         "attachment; filename=\"etc_passwd\"; filename*=UTF-8''.._.._etc_passwd"),
        ("台账.xlsx", False, None,
         "attachment; filename=\"download.xlsx\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx"),
        ("督查台账_20261123.xlsx", False, None,
         "attachment; filename=\"20261123.xlsx\"; filename*=UTF-8''%E7%9D%A3%E6%9F%A5%E5%8F%B0%E8%B4%A6_20261123.xlsx"),
    ],
)  # fmt: skip
def test_content_disposition_is_safe_for_every_name(name, inline, fallback, header) -> None:
    assert downloads.content_disposition(name, inline=inline, fallback=fallback) == header
    assert "\r" not in header and "\n" not in header


def test_only_images_and_pdf_open_in_the_browser(tmp_path) -> None:
    for ctype, inline in [("image/png", True), ("application/pdf", True),
                          ("text/html", False), ("image/svg+xml", False),
                          ("application/msword", False)]:  # fmt: skip
        response = downloads.file_response(io.BytesIO(b"x"), "a", ctype, inline=True)
        assert response["Content-Disposition"].startswith("inline" if inline else "attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def evidence(users, task) -> Attachment:
    shot = SimpleUploadedFile("现场照片.png", files.PNG)
    reports.report_submit(users["liaison_a"], task, text="已完成 12 个小区的施工招标工作。",
                          progress=40, files=[shot])  # fmt: skip
    return Attachment.objects.get()


def tamper(att: Attachment) -> None:
    Path(att.file.path).write_bytes(files.PNG + b"<script>alert(1)</script>")


def integrity_records() -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(event=Event.FILE_INTEGRITY).order_by("seq"))


def test_an_intact_file_is_served_with_its_bytes(client, users, evidence) -> None:
    client.force_login(users["office"])
    r = client.get(f"/followup/files/{evidence.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == files.PNG
    r = api(users["office"]).get(f"/api/v1/attachments/{evidence.pk}/download/")
    assert r.status_code == 200 and r.getvalue() == files.PNG
    assert r["Content-Disposition"].startswith(f'attachment; filename="evidence-{evidence.pk}.png"')
    assert not integrity_records()


def test_a_tampered_file_is_refused_on_the_page_and_logged(client, users, evidence) -> None:
    tamper(evidence)
    client.force_login(users["office"])
    r = client.get(f"/followup/files/{evidence.pk}/")
    assert r.status_code == 409
    body = r.content.decode()
    assert "“现场照片.png”与上传时记录的校验值（SHA-256）不一致" in body
    assert "<script>alert(1)" not in body and not r.has_header("Content-Disposition")
    [record] = integrity_records()
    assert (record.object_type, record.object_id, record.success) == (
        "followup.Attachment", str(evidence.pk), False)  # fmt: skip
    assert record.detail.startswith("mismatch") and record.username == "office"


def test_a_tampered_or_missing_file_is_refused_by_the_api(users, evidence) -> None:
    tamper(evidence)
    r = api(users["liaison_a"]).get(f"/api/v1/attachments/{evidence.pk}/download/")
    assert r.status_code == 409 and r.json()["code"] == "file_integrity"
    Path(evidence.file.path).unlink()
    r = api(users["liaison_a"]).get(f"/api/v1/attachments/{evidence.pk}/download/")
    assert r.status_code == 409 and "在存储中找不到" in r.json()["detail"]
    assert [rec.detail.split("：")[0] for rec in integrity_records()] == ["mismatch", "missing"]


def test_another_unit_gets_404_on_the_page_and_the_api(client, users, evidence) -> None:
    client.force_login(users["liaison_b"])  # 市生态环境局: not on this task
    assert client.get(f"/followup/files/{evidence.pk}/").status_code == 404
    stranger = api(users["liaison_b"])
    assert stranger.get(f"/api/v1/attachments/{evidence.pk}/download/").status_code == 404
    assert stranger.get(f"/api/v1/attachments/{evidence.pk}/").status_code == 404


def test_the_dossier_leaves_a_tampered_file_out_and_logs_it(users, evidence, monkeypatch):
    from luoshi.documents import convert
    from luoshi.dossier import build

    monkeypatch.setattr(convert, "soffice", lambda: None)  # no PDF: no LibreOffice run
    tamper(evidence)
    handle = build.build(evidence.assignment.matter, users["office"])
    zf = zipfile.ZipFile(handle)
    assert not [n for n in zf.namelist() if n.endswith("现场照片.png")]
    assert "不一致，可能已被篡改或损坏（现场照片.png），未能收入" in zf.read("说明.txt").decode()
    [record] = integrity_records()
    assert record.object_id == str(evidence.pk) and record.username == "office"


def test_a_big_file_is_verified_once_through_a_bounded_copy() -> None:
    import hashlib

    data = bytes(range(256)) * (5 * 4096 + 3)  # past the in-memory spool
    reads: list[int] = []

    class Source(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            reads.append(n if n is not None else -1)
            return super().read(n)

    class Stored:
        def open(self, mode: str) -> io.BytesIO:
            return Source(data)

    copy = downloads.open_verified(Stored(), hashlib.sha256(data).hexdigest())
    assert copy.read() == data
    # Read once, in chunks (the last read finds the end), never whole into memory.
    assert set(reads) == {downloads.CHUNK}
    assert len(reads) == -(-len(data) // downloads.CHUNK) + 1
    with pytest.raises(downloads.FileIntegrityError):
        downloads.open_verified(Stored(), "0" * 64)
