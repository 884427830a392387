from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.audit.services import audit, purge, verify_chain
from luoshi.audit.tests.conftest import guard_lifted
from luoshi.core.errors import ServiceError

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _write(n: int, **kw) -> list[AuditRecord]:
    records = [audit(Event.WRITE, object_type="test", object_id=str(i), **kw) for i in range(n)]
    return [r for r in records if r is not None]


def test_it_chains_each_record_to_the_previous_one(now):
    records = _write(3, after={"title": "城区积水点整治"})
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == "0" * 64
    assert records[1].prev_hash == records[0].hash
    assert records[2].prev_hash == records[1].hash
    assert verify_chain() == (3, None)


def test_it_never_stores_secrets_in_before_or_after(now):
    rec = _write(1, after={"new_password": "Secret#2026", "totp_secret": "ABC", "名称": "x"})[0]
    rec.refresh_from_db()
    assert rec.after == {"new_password": "***", "totp_secret": "***", "名称": "x"}


def test_it_refuses_to_update_a_record_in_the_database(now):
    rec = _write(1)[0]
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        AuditRecord.objects.filter(pk=rec.pk).update(detail="改过了")
    rec.refresh_from_db()
    assert rec.detail == ""


def test_audit_verify_reports_the_first_edited_record(now):
    _write(5)
    with guard_lifted():
        AuditRecord.objects.filter(seq=3).update(success=False)
        with pytest.raises(CommandError, match="第 3 条"):
            call_command("audit_verify")
        checked, broken = verify_chain()
    assert checked == 2 and broken is not None and "修改" in broken.reason


def test_audit_verify_reports_a_deleted_record(now):
    _write(5)
    with guard_lifted():
        AuditRecord.objects.filter(seq=2).delete()
        checked, broken = verify_chain()
    assert broken is not None and broken.seq == 2 and checked == 1


def test_audit_verify_reports_a_deleted_newest_record(now):
    _write(4)
    with guard_lifted():
        AuditRecord.objects.filter(seq=4).delete()
        _, broken = verify_chain()
    assert broken is not None and broken.seq == 4


def test_audit_verify_reports_a_rewritten_chain_tail_by_its_link(now):
    """Editing one record and recomputing its own hash still breaks the next link."""
    from luoshi.audit import chain

    _write(3)
    rec = AuditRecord.objects.get(seq=2)
    fields = {name: getattr(rec, name) for name in chain.HASHED_FIELDS}
    fields["username"] = "someone_else"
    with guard_lifted():
        AuditRecord.objects.filter(seq=2).update(
            username="someone_else", hash=chain.digest(rec.prev_hash, fields)
        )
        _, broken = verify_chain()
    assert broken is not None and broken.seq == 3


def test_audit_verify_passes_on_an_intact_chain(now, capsys):
    _write(2)
    call_command("audit_verify")
    assert "审计链完好：共校验 2 条记录" in capsys.readouterr().out


def test_purge_removes_only_records_older_than_the_retention(now):
    with time_machine.travel(datetime(2020, 1, 6, 10, 0, tzinfo=SHANGHAI), tick=False):
        _write(3)
    with time_machine.travel(datetime(2026, 9, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        _write(2)  # younger than 180 days on 2026-11-23
    removed = purge()
    assert removed == 3
    assert sorted(AuditRecord.objects.values_list("seq", flat=True)) == [4, 5, 6]
    purge_rec = AuditRecord.objects.get(event=Event.AUDIT_PURGE)
    assert purge_rec.after is not None and purge_rec.after["through_seq"] == 3
    assert verify_chain() == (3, None)
    assert purge() == 0  # nothing else is old enough


def test_purge_refuses_a_retention_shorter_than_six_months(now):
    _write(1)
    with pytest.raises(ServiceError, match="180"):
        purge(days=179)
    with pytest.raises(CommandError, match="180"):
        call_command("audit_purge", "--days", "30")
    assert AuditRecord.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_it_refuses_to_delete_a_young_record_on_postgresql(now):
    rec = _write(1)[0]
    with pytest.raises(DatabaseError, match="180"), transaction.atomic():
        AuditRecord.objects.filter(pk=rec.pk).delete()
    assert AuditRecord.objects.filter(pk=rec.pk).exists()


def test_the_daily_loop_purges_with_the_configured_retention(now, settings):
    from luoshi.audit.loops import audit_purge

    settings.LUOSHI_AUDIT_RETENTION_DAYS = 30  # below the minimum: 180 applies
    with time_machine.travel(datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        _write(1)  # 267 days old: purged
    with time_machine.travel(datetime(2026, 7, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        _write(1)  # 145 days old: kept although older than 30 days
    assert audit_purge() == "清理 180 天前的审计记录 1 条"
    assert AuditRecord.objects.filter(event=Event.WRITE).count() == 1
