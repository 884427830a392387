"""Delivery from the outbox: once per message, whatever runners do at the same time or
however they crash; attempts recorded; quiet hours kept."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection

from luoshi.notify import outbox
from luoshi.notify.models import DeliveryAttempt, Outbox, OutboxStatus
from luoshi.notify.quiet import next_open

SHANGHAI = "+08:00"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + SHANGHAI)


@pytest.fixture
def mailer(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    return mail.outbox


@pytest.fixture
def people(users):
    chosen = [users[name] for name in ("liaison_a", "head_a", "liaison_b", "head_b")]
    for n, user in enumerate(chosen):
        user.email = f"user{n}@example.gov.cn"
        user.save()
    return chosen


def queue_mail(people, count: int) -> None:
    for i in range(count):
        user = people[i % len(people)]
        outbox.enqueue(key=f"test:{i}", channel="email", kind="test", subject=f"消息{i}",
                       body="正文", link="/tasks/1/", user=user)  # fmt: skip


def keys_sent(mailer) -> list[str]:
    return sorted(m.extra_headers["X-Luoshi-Key"] for m in mailer)


def test_it_delivers_once_and_records_the_attempt(people, mailer):
    with time_machine.travel(at("2026-11-23T10:00"), tick=False):
        queue_mail(people, 3)
        assert outbox.deliver_due() == {"sent": 3, "failed": 0, "skipped": 0}
        assert outbox.deliver_due()["sent"] == 0
    assert keys_sent(mailer) == ["test:0", "test:1", "test:2"]
    assert set(Outbox.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert DeliveryAttempt.objects.filter(ok=True).count() == 3
    assert "查看：http://127.0.0.1:8000/tasks/1/" in mailer[0].body


def test_it_queues_a_key_only_once(people):
    with time_machine.travel(at("2026-11-23T10:00"), tick=False):
        first = outbox.enqueue(key="same", channel="email", kind="test", subject="一", body="b",
                               user=people[0])  # fmt: skip
        second = outbox.enqueue(key="same", channel="email", kind="test", subject="二", body="b",
                                user=people[0])  # fmt: skip
    assert first is not None and second is None
    assert Outbox.objects.filter(key="same").count() == 1


def test_two_runners_claiming_at_once_never_share_a_row(people, mailer):
    with time_machine.travel(at("2026-11-23T10:00"), tick=False):
        queue_mail(people, 6)
        first = outbox.claim_due(limit=4, token="a" * 32)
        second = outbox.claim_due(limit=4, token="b" * 32)
        assert len(first) == 4 and len(second) == 2
        assert not {r.pk for r in first} & {r.pk for r in second}
        for row in first:
            outbox.deliver_one(row, "a" * 32)
        for row in second:
            outbox.deliver_one(row, "b" * 32)
    assert keys_sent(mailer) == sorted(f"test:{i}" for i in range(6))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="threads need a server database")
def test_two_concurrent_runner_threads_send_each_message_once(calendar_seeded, people, mailer):
    with time_machine.travel(at("2026-11-23T10:00"), tick=True):
        queue_mail(people, 60)
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def run(name: str) -> None:
            try:
                start.wait()
                outbox.deliver_due(limit=5, runner=name)
            except BaseException as exc:  # surfaced below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(n,)) for n in ("one", "two")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert keys_sent(mailer) == sorted(f"test:{i}" for i in range(60))
    assert DeliveryAttempt.objects.count() == 60
    assert set(DeliveryAttempt.objects.values_list("runner", flat=True)) <= {"one", "two"}


def test_a_runner_that_crashed_after_claiming_is_taken_over_after_the_lease(
    people, mailer, settings
):
    with time_machine.travel(at("2026-11-23T10:00"), tick=False) as clock:
        queue_mail(people, 2)
        claimed = outbox.claim_due(token="c" * 32)  # …and the runner dies here
        assert len(claimed) == 2
        assert outbox.deliver_due()["sent"] == 0  # still leased to the dead runner
        clock.shift(timedelta(seconds=settings.LUOSHI_OUTBOX_LEASE_SECONDS + 1))
        assert outbox.deliver_due()["sent"] == 2
        assert outbox.deliver_due()["sent"] == 0
    assert keys_sent(mailer) == ["test:0", "test:1"]
    assert list(Outbox.objects.values_list("attempts", flat=True)) == [1, 1]


def test_a_slow_runner_whose_claim_was_taken_over_does_not_send(people, mailer, settings):
    with time_machine.travel(at("2026-11-23T10:00"), tick=False) as clock:
        queue_mail(people, 1)
        slow = outbox.claim_due(token="s" * 32)
        clock.shift(timedelta(seconds=settings.LUOSHI_OUTBOX_LEASE_SECONDS + 1))
        assert outbox.deliver_due()["sent"] == 1
        assert outbox.deliver_one(slow[0], "s" * 32) is None  # it wakes up: not its row any more
    assert keys_sent(mailer) == ["test:0"]


def test_it_retries_with_backoff_then_marks_failed(people, settings, monkeypatch):
    from luoshi.notify.channels import Result

    settings.LUOSHI_OUTBOX_MAX_ATTEMPTS = 3
    monkeypatch.setattr("luoshi.notify.channels.email.send",
                        lambda row: Result(ok=False, error="SMTP 服务器无响应"))  # fmt: skip
    with time_machine.travel(at("2026-11-23T10:00"), tick=False) as clock:
        queue_mail(people, 1)
        assert outbox.deliver_due()["failed"] == 1
        row = Outbox.objects.get()
        assert row.status == OutboxStatus.PENDING and row.attempts == 1
        assert row.not_before == at("2026-11-23T10:01")
        assert outbox.deliver_due()["failed"] == 0  # waiting for the backoff
        clock.shift(timedelta(minutes=1))
        outbox.deliver_due()
        clock.shift(timedelta(minutes=5))
        outbox.deliver_due()
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.attempts == 3
    assert row.last_error == "SMTP 服务器无响应"
    assert DeliveryAttempt.objects.filter(outbox=row, ok=False).count() == 3


@pytest.mark.parametrize(
    ("queued", "opens"),
    [
        ("2026-11-23T10:00", "2026-11-23T10:00"),  # Monday in working hours
        ("2026-11-23T07:15", "2026-11-23T08:30"),  # before opening
        ("2026-11-27T18:00", "2026-11-30T08:30"),  # Friday evening → Monday
        ("2025-09-30T18:00", "2025-10-09T08:30"),  # before National Day 2025
        ("2025-10-10T20:00", "2025-10-11T08:30"),  # the 调休 Saturday is a working day
        ("2025-09-26T19:00", "2025-09-28T08:30"),  # …and so is the 调休 Sunday before it
    ],
)
def test_quiet_hours_wait_for_the_next_working_morning(calendar_seeded, queued, opens):
    assert next_open(at(queued)) == at(opens)


def test_sms_queued_in_the_evening_waits_and_email_does_not(people, mailer):
    people[0].phone = "13800000000"
    people[0].save()
    with time_machine.travel(at("2026-11-27T18:00"), tick=False):
        outbox.notify_user(people[0], key="evening", kind="test", subject="晚间消息", body="正文")
        assert outbox.deliver_due()["sent"] == 1  # the e-mail
    sms = Outbox.objects.get(channel="sms")
    assert sms.status == OutboxStatus.PENDING and sms.not_before == at("2026-11-30T08:30")
    assert keys_sent(mailer) == ["evening:email"]


def test_a_message_claimed_out_of_hours_is_handed_back_without_an_attempt(people, monkeypatch):
    sent = []
    monkeypatch.setattr("luoshi.notify.channels.send", lambda row: sent.append(row))
    people[0].phone = "13800000000"
    people[0].save()
    with time_machine.travel(at("2026-11-27T17:00"), tick=False) as clock:
        outbox.enqueue(key="late", channel="sms", kind="test", subject="s", body="b",
                       user=people[0])  # fmt: skip
        # The gateway was down until after closing time; the retry comes due at 18:00.
        Outbox.objects.update(not_before=at("2026-11-27T18:00"))
        clock.move_to(at("2026-11-27T18:05"))
        assert outbox.deliver_due()["skipped"] == 1
    row = Outbox.objects.get()
    assert not sent and row.attempts == 0 and row.not_before == at("2026-11-30T08:30")


def test_in_app_messages_are_written_with_their_cause(people):
    with time_machine.travel(at("2026-11-23T10:00"), tick=False):
        outbox.notify_user(people[0], key="bell", kind="test", subject="站内", body="b")
    row = Outbox.objects.get(channel="inapp")
    assert row.status == OutboxStatus.SENT and row.notification.title == "站内"


def test_no_sms_is_queued_without_a_gateway(people, settings):
    settings.LUOSHI_SMS_URL = ""
    people[0].phone = "13800000000"
    people[0].save()
    assert outbox.channels_for(people[0]) == ["inapp", "email"]
    settings.LUOSHI_SMS_URL = "http://127.0.0.1:9/sms"
    assert outbox.channels_for(people[0]) == ["inapp", "email", "sms"]


def test_queueing_many_at_once_writes_each_key_once(people):
    from luoshi.notify.models import Notification

    batch = [
        outbox.Message(key=f"many:{u.pk}:{c}", channel=c, kind="digest", subject="汇总",
                       body="正文", user=u, items=[{"text": "一项", "link": "/tasks/1/"}])
        for u in people for c in ("inapp", "email")
    ]  # fmt: skip
    with time_machine.travel(at("2026-11-23T10:00"), tick=False):
        outbox.enqueue(key=batch[0].key, channel="inapp", kind="digest", subject="先到",
                       body="b", user=people[0])  # fmt: skip
        assert outbox.enqueue_many(batch) == len(batch) - 1
        assert outbox.enqueue_many(batch) == 0
    assert Outbox.objects.filter(key__startswith="many:").count() == len(batch)
    assert Notification.objects.count() == len(people)
    assert DeliveryAttempt.objects.filter(outbox__channel="inapp").count() == len(people)
    assert Notification.objects.get(outbox__key=batch[0].key).title == "先到"
    assert Notification.objects.get(user=people[1]).items == [{"text": "一项", "link": "/tasks/1/"}]
