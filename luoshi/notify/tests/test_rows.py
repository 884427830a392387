"""``rows.insert`` stores what ``save()`` would: defaults, timestamps, dates, JSON."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi.notify.models import Notification, Outbox, OutboxStatus
from luoshi.notify.rows import insert
from luoshi.reminders.models import Reminder

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 24, 8, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_it_inserts_rows_as_save_would(users, now):
    user = users["liaison_a"]
    rows = [{"key": f"k{i}", "channel": "sms", "kind": "digest", "subject": "“标题”",
             "body": 'a "quoted" \\ body', "user_id": user.pk, "not_before": AT}
            for i in range(3)]  # fmt: skip
    assert insert(Outbox, rows, ignore_conflicts=True) == 3
    # A key queued before is skipped and not counted.
    assert insert(Outbox, [*rows[:2], {**rows[0], "key": "k9"}], ignore_conflicts=True) == 1
    row = Outbox.objects.get(key="k1")
    assert row.status == OutboxStatus.PENDING and row.attempts == 0
    assert row.claim_token == "" and row.last_error == ""
    assert row.body == 'a "quoted" \\ body' and row.subject == "“标题”"
    assert row.not_before == AT and row.sent_at is None and row.created_at is not None
    items = [{"text": '第一条 "引号"', "link": "/tasks/1/"}]
    insert(Notification, [{"user_id": user.pk, "outbox_id": row.pk, "kind": "digest",
                           "title": "t", "items": items}])  # fmt: skip
    note = Notification.objects.get(outbox=row)
    assert note.items == items and note.body == "" and note.read_at is None


def test_it_inserts_dates_and_many_batches(users, units, now, monkeypatch):
    monkeypatch.setattr("luoshi.notify.rows.ROWS_PER_STATEMENT", 7)
    user, office = users["liaison_a"], units["市政府督查室"]
    rows = [{"rule": "deadline", "object_type": "assignment", "object_id": i,
             "due_date": date(2026, 11, 30), "stage": -3, "recipient_id": user.pk,
             "office_id": office.pk, "fired_on": date(2026, 11, 24), "text": f"提醒{i}"}
            for i in range(20)]  # fmt: skip
    assert insert(Reminder, rows, ignore_conflicts=True) == 20
    assert insert(Reminder, rows, ignore_conflicts=True) == 0
    got = Reminder.objects.filter(fired_on=date(2026, 11, 24), due_date=date(2026, 11, 30))
    assert got.count() == 20 and {r.digest_key for r in got} == {""}
    assert {r.unit_id for r in got} == {None}
