"""Phone numbers are masked on pages, in the API and in exports; the office reveals a
responsible person's number (each time audited), the sysadmin a user's, a person their own."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.core import masking
from luoshi.core.tests.tasking import PHONE, api

pytestmark = pytest.mark.django_db
MASKED = "138****5678"


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13812345678", MASKED), ("0571-87654321", "057****4321"), ("87654321", "****4321"),
     ("12345", "****2345"), ("1234", "****"), ("", ""), (None, ""), (" 13812345678 ", MASKED)],
)  # fmt: skip
def test_mask_phone(value, masked) -> None:
    assert masking.mask_phone(value) == masked


def pii_views() -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(event=Event.PII_VIEW).order_by("seq"))


def test_the_task_page_shows_the_number_masked(client, users, task) -> None:
    for username, reveal in [("office", True), ("inspector", True), ("liaison_a", False),
                             ("head_a", False), ("observer", False), ("vleader", False)]:  # fmt: skip
        client.force_login(users[username])
        page = client.get(f"/tasks/{task.pk}/").content.decode()
        assert MASKED in page and PHONE not in page
        assert ('data-testid="reveal-phone"' in page) is reveal, username
    assert not pii_views()  # showing the page reveals nothing


def test_the_office_reveals_the_number_and_each_reveal_is_audited(client, users, task) -> None:
    client.force_login(users["office"])
    url = f"/pii/assignment/{task.pk}/phone/"
    page = client.get(url).content.decode()
    assert PHONE in page and "本次查看已记入审计日志" in page  # without JavaScript
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.content.decode().strip().startswith('<span class="pii"')
    assert PHONE in fragment.content.decode() and "no-store" in fragment["Cache-Control"]
    records = pii_views()
    assert [(r.username, r.object_type, r.object_id, r.detail) for r in records] == [
        ("office", "ledger.Assignment", str(task.pk), "responsible_phone")] * 2  # fmt: skip


def test_others_cannot_reveal_it(client, users, task) -> None:
    for username, status in [("liaison_a", 403), ("observer", 403), ("liaison_b", 404)]:
        client.force_login(users[username])
        r = client.get(f"/pii/assignment/{task.pk}/phone/")
        assert r.status_code == status and PHONE not in r.content.decode()
        r = api(users[username]).get(f"/api/v1/assignments/{task.pk}/responsible-phone/")
        assert r.status_code == status
    assert not pii_views()


def test_the_api_masks_the_number_in_lists_and_details(users, task) -> None:
    for username in ("office", "liaison_a", "observer"):
        client = api(users[username])
        got = client.get(f"/api/v1/assignments/{task.pk}/").json()
        assert got["responsible_phone"] == MASKED
        listed = client.get("/api/v1/assignments/").json()["results"]
        assert [row["responsible_phone"] for row in listed] == [MASKED]
        matter = client.get(f"/api/v1/matters/{task.matter_id}/").json()
        assert PHONE not in str(matter) and MASKED in str(matter)
    assert not pii_views()


def test_the_office_reveals_it_through_the_api(users, task) -> None:
    r = api(users["office"]).get(f"/api/v1/assignments/{task.pk}/responsible-phone/")
    assert r.status_code == 200 and r.json() == {"responsible_phone": PHONE}
    [record] = pii_views()
    assert record.username == "office" and record.object_id == str(task.pk)


@pytest.fixture
def no_office(monkeypatch) -> None:
    from luoshi.documents import convert

    monkeypatch.setattr(convert, "soffice", lambda: None)  # no PDF: no LibreOffice run


def _summary(users, task, username) -> str:
    from luoshi.dossier import build

    handle = build.build(task.matter, users[username])
    data = zipfile.ZipFile(handle).read("事项概要.docx")
    return "\n".join(
        cell.text for table in docx.Document(io.BytesIO(data)).tables
        for row in table.rows for cell in row.cells
    )  # fmt: skip


def test_the_dossier_has_the_full_number_for_the_office_audited_once(users, task, no_office):
    assert PHONE in _summary(users, task, "office")
    [record] = pii_views()
    assert record.object_type == "ledger.Matter" and "一事一档导出" in record.detail
    text = _summary(users, task, "observer")
    assert MASKED in text and PHONE not in text
    assert len(pii_views()) == 1


def test_the_ledger_export_carries_no_phone_number(client, users, task) -> None:
    for username in ("liaison_a", "observer", "office"):
        client.force_login(users[username])
        data = b"".join(client.get("/sheets/ledger.xlsx").streaming_content)
        ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        cells = [str(c) for row in ws.iter_rows(values_only=True) for c in row if c]
        assert any("老旧小区改造" in c for c in cells)
        assert not any(PHONE in c for c in cells)


def test_a_user_phone_for_themself_and_the_sysadmin_only(client, users, now) -> None:
    me = users["liaison_a"]
    me.phone = PHONE
    me.save(update_fields=["phone"])
    url = f"/pii/user/{me.pk}/phone/"
    for username, status in (("liaison_a", 200), ("sysadmin", 200), ("office", 404)):
        client.force_login(users[username])
        assert client.get(url).status_code == status
    client.force_login(users["sysadmin"])
    page = client.get(f"/accounts/users/{me.pk}/").content.decode()
    assert PHONE in page  # the edit form needs the number: viewing it is audited
    assert [r.username for r in pii_views()] == ["liaison_a", "sysadmin", "sysadmin"]
    assert masking.may_see_phone(users["sysadmin"], me)
    assert not masking.may_see_phone(users["head_a"], me)


def test_the_tag_offers_显示_only_to_those_allowed(rf, users, now) -> None:
    from django.template import Context, Template

    me = users["liaison_a"]
    me.phone = PHONE
    tag = Template("{% load masking_tags %}{% masked_phone u %}|{{ u.phone|mask_phone }}")
    for username, link in (("sysadmin", True), ("liaison_a", True), ("office", False)):
        request = rf.get("/")
        request.user = users[username]
        html = tag.render(Context({"u": me, "request": request}))
        assert PHONE not in html and html.endswith(f"|{MASKED}")
        assert (f'href="/pii/user/{me.pk}/phone/"' in html) is link, username
