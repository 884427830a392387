"""Evidence downloads: only for those who may see the task, a co-unit only its own files,
under the original (Chinese) name, never sniffed."""

from urllib.parse import quote

import pytest

from luoshi.followup.models import Attachment
from luoshi.followup.services import closing, reports
from luoshi.followup.tests.conftest import PDF, PNG, upload
from luoshi.ledger import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(users, units, running):
    """The lead's report with a photo and a PDF, and a co-unit's (市生态环境局) part."""
    reports.report_submit(
        users["liaison_a"], running, text="已完成 12 个小区的施工招标工作。", progress=40,
        files=[upload("现场 照片.png", PNG), upload("招标公告.pdf", PDF)],
    )  # fmt: skip
    co = services.assignment_extend(users["office"], running, units["市生态环境局"], "涉及污水管网")
    services.co_unit_sign(users["liaison_b"], co)
    reports.report_submit(users["liaison_b"], running, text="管网改造已完成设计工作。", progress=30,
                          files=[upload("管网.pdf", PDF)])  # fmt: skip
    return {a.name: a for a in Attachment.objects.all()}


def test_it_serves_an_image_inline_under_its_chinese_name(client, users, files) -> None:
    client.force_login(users["office"])
    photo = files["现场 照片.png"]
    r = client.get(f"/followup/files/{photo.pk}/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"] == (
        f"inline; filename=\"evidence-{photo.pk}.png\"; filename*=UTF-8''{quote('现场 照片.png')}"
    )
    r = client.get(f"/followup/files/{photo.pk}/?download=1")
    assert r["Content-Disposition"].startswith("attachment;")


def test_it_serves_other_files_as_attachments(client, users, files) -> None:
    client.force_login(users["head_a"])
    pdf = files["招标公告.pdf"]
    r = client.get(f"/followup/files/{pdf.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == (
        f'attachment; filename="evidence-{pdf.pk}.pdf"; '
        "filename*=UTF-8''%E6%8B%9B%E6%A0%87%E5%85%AC%E5%91%8A.pdf"
    )
    assert r["X-Content-Type-Options"] == "nosniff"


def test_an_ascii_name_is_kept_plain_for_old_clients(client, users, running) -> None:
    reports.report_submit(users["liaison_a"], running, text="已完成 12 个小区的施工招标工作。",
                          progress=40, files=[upload('plan "v2".pdf', PDF)])  # fmt: skip
    att = Attachment.objects.get()
    client.force_login(users["liaison_a"])
    r = client.get(f"/followup/files/{att.pk}/")
    assert r["Content-Disposition"] == (
        "attachment; filename=\"plan _v2_.pdf\"; filename*=UTF-8''plan%20%22v2%22.pdf"
    )


@pytest.mark.parametrize(
    ("username", "photo", "part"),
    [
        ("office", 200, 200),
        ("vleader", 200, 200),
        ("observer", 200, 200),
        ("liaison_a", 200, 200),  # the lead unit consolidates its co-units' material
        ("head_a", 200, 200),
        ("liaison_b", 404, 200),  # a co-unit: only its own part's files
        ("head_b", 404, 200),
        ("sysadmin", 404, 404),
    ],
)
def test_each_role_reads_only_the_files_it_should(
    client, users, files, username, photo, part
) -> None:
    client.force_login(users[username])
    got = (
        client.get(f"/followup/files/{files['现场 照片.png'].pk}/").status_code,
        client.get(f"/followup/files/{files['管网.pdf'].pk}/").status_code,
    )
    assert got == (photo, part)


def test_a_co_unit_sees_neither_the_lead_report_nor_its_files_on_the_page(
    client, users, files
) -> None:
    client.force_login(users["liaison_b"])
    page = client.get(f"/tasks/{files['管网.pdf'].assignment_id}/").content.decode()
    assert "管网.pdf" in page
    assert "现场 照片.png" not in page and "招标公告.pdf" not in page


def test_completion_evidence_is_not_for_co_units(client, users, units, running) -> None:
    co = services.assignment_extend(users["office"], running, units["市生态环境局"], "涉及污水管网")
    services.co_unit_sign(users["liaison_b"], co)
    closing.request_completion(users["liaison_a"], running, "全部 20 个小区改造完成并验收。",
                               [upload("验收报告.pdf", PDF)])  # fmt: skip
    att = Attachment.objects.get()
    client.force_login(users["liaison_b"])
    assert client.get(f"/followup/files/{att.pk}/").status_code == 404
    assert "验收报告.pdf" not in client.get(f"/tasks/{running.pk}/").content.decode()
    client.force_login(users["inspector"])
    assert client.get(f"/followup/files/{att.pk}/").status_code == 200


def test_it_needs_a_login_and_only_answers_get(client, users, files) -> None:
    pk = files["招标公告.pdf"].pk
    r = client.get(f"/followup/files/{pk}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    client.force_login(users["office"])
    assert client.post(f"/followup/files/{pk}/").status_code == 405
    assert client.get("/followup/files/99999/").status_code == 404
