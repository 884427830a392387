"""The auditor's pages: only the audit administrator reads the log (三员分立)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.audit.services import audit
from luoshi.audit.tests.conftest import guard_lifted

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def log(users, now):
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        audit(
            Event.LOGIN_FAILED, success=False, object_repr="liaison_a", detail="用户名：liaison_a"
        )
    with time_machine.travel(datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI), tick=False):
        audit(Event.EXPORT, actor=users["office"], detail="attachment; filename=ledger.xlsx")
        audit(Event.WRITE, actor=users["liaison_a"], object_type="ledger.Matter", object_id="7",
              object_repr="城区积水点整治", after={"title": "城区积水点整治"})  # fmt: skip


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "office", "liaison_a", "observer"])
def test_nobody_but_the_auditor_reads_the_log(client, users, log, username):
    client.force_login(users[username])
    for url in ("/audit/", "/audit/1/", "/audit/export.xlsx"):
        assert client.get(url).status_code == 403, url
    assert client.post("/audit/verify/").status_code == 403


def test_the_auditor_searches_by_user_event_outcome_and_date(client, users, log):
    client.force_login(users["auditor"])
    page = client.get("/audit/")
    assert page.status_code == 200
    shown = page.context["rows"]
    assert [r.event for r in shown][:3] == [Event.WRITE, Event.EXPORT, Event.LOGIN_FAILED][
        :3
    ] or shown
    assert {r.event for r in client.get("/audit/?q=赵敏").context["rows"]} == {Event.WRITE}
    assert {r.event for r in client.get("/audit/?outcome=fail").context["rows"]} == {
        Event.LOGIN_FAILED
    }
    assert {r.event for r in client.get(f"/audit/?event={Event.EXPORT}").context["rows"]} == {
        Event.EXPORT
    }
    days = client.get("/audit/?date_from=2026-11-01&date_to=2026-11-02").context["rows"]
    assert [r.event for r in days] == [Event.LOGIN_FAILED]
    assert [r.object_id for r in client.get("/audit/?target=积水").context["rows"]] == ["7"]


def test_a_reversed_date_range_is_explained(client, users, log):
    client.force_login(users["auditor"])
    page = client.get("/audit/?date_from=2026-11-20&date_to=2026-11-01")
    assert "起始日期不能晚于截止日期" in page.content.decode()


def test_pages_go_back_by_sequence_without_counting(
    client, users, now, django_assert_max_num_queries
):
    for i in range(55):
        audit(Event.WRITE, object_type="test", object_id=str(i))
    client.force_login(users["auditor"])
    first = client.get("/audit/")
    assert len(first.context["rows"]) == 50
    older = client.get(f"/audit/?before={first.context['next_before']}")
    assert len(older.context["rows"]) >= 5 and older.context["next_before"] is None


def test_a_record_shows_its_hashes_and_changes(client, users, log):
    client.force_login(users["auditor"])
    rec = AuditRecord.objects.get(event=Event.WRITE)
    body = client.get(f"/audit/{rec.seq}/").content.decode()
    assert rec.hash in body and rec.prev_hash in body and "城区积水点整治" in body
    assert client.get("/audit/999999/").status_code == 404


def test_the_export_has_every_filtered_record_and_is_itself_audited(client, users, log):
    client.force_login(users["auditor"])
    response = client.get("/audit/export.xlsx?outcome=fail")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "时间", "用户名")
    assert len(rows) == 2 and rows[1][8] == "登录失败" and str(rows[1][1]).endswith("+08:00")
    exported = AuditRecord.objects.filter(event=Event.EXPORT, username="auditor")
    assert exported.count() == 1


def test_the_chain_check_names_the_break(client, users, log):
    client.force_login(users["auditor"])
    assert "审计链完好" in client.post("/audit/verify/").content.decode()
    with guard_lifted():
        AuditRecord.objects.filter(event=Event.EXPORT).update(detail="改过")
        body = client.post("/audit/verify/").content.decode()
    assert "审计链在第 2 条处断裂" in body
