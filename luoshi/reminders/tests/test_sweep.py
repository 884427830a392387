"""The sweep's recipients, digests and idempotence."""

from __future__ import annotations

from datetime import date

import pytest

from luoshi.notify.models import Notification, Outbox
from luoshi.reminders import pending
from luoshi.reminders.models import Reminder, ReminderPolicy
from luoshi.reminders.rules import Recipient, Rule
from luoshi.reminders.sweep import sweep
from luoshi.reminders.tests.conftest import fired, sweep_on


@pytest.fixture
def built(scene):
    return scene


def test_it_sends_each_person_one_digest_a_day(users, built, clock):
    counts = sweep_on(clock, date(2026, 11, 24))
    assert counts["reminders"] > 0
    liaison = users["liaison_a"]
    digests = Notification.objects.filter(user=liaison, kind="digest")
    assert digests.count() == 1
    digest = digests.get()
    mine = Reminder.objects.filter(recipient=liaison, fired_on=date(2026, 11, 24))
    assert len(digest.items) == mine.count() >= 2
    assert {item["text"] for item in digest.items} == set(mine.values_list("text", flat=True))
    assert all(item["link"].startswith("/tasks/") for item in digest.items)
    # A second run the same day finds nothing new and sends nothing.
    again = sweep_on(clock, date(2026, 11, 24))
    assert again["reminders"] == 0 and again["digests"] == 0
    assert Notification.objects.filter(user=liaison, kind="digest").count() == 1


def test_it_never_sends_an_empty_digest(users, built, clock):
    sweep_on(clock, date(2026, 11, 24))
    nobody = users["observer"]
    assert not Reminder.objects.filter(recipient=nobody).exists()
    assert not Outbox.objects.filter(user=nobody).exists()


def test_it_reminds_the_office_of_reports_waiting_for_review(users, built, clock):
    # Submitted Monday 23 November; two working days later (Wednesday) the office hears.
    sweep_on(clock, date(2026, 11, 24))
    assert not fired(Rule.REVIEW)
    sweep_on(clock, date(2026, 11, 25))
    report = built["review_report"]
    assert fired(Rule.REVIEW, object_id=report.pk) == [(date(2026, 11, 25), Rule.REVIEW, 2)]
    office_people = set(
        Reminder.objects.filter(rule=Rule.REVIEW).values_list("recipient__username", flat=True)
    )
    assert office_people == {"office", "inspector"}


def test_an_offices_many_reports_waiting_make_one_line_a_day(users, built, clock, monkeypatch):
    # Past ROLL_UP_AFTER reports firing on a day (lowered here to 0), the office hears once,
    # with the count and the 工作台's list to work from.
    monkeypatch.setattr(pending, "ROLL_UP_AFTER", 0)
    sweep_on(clock, date(2026, 11, 25))
    office_id = built["review_report"].assignment.matter.office_id
    rows = Reminder.objects.filter(rule=Rule.REVIEW)
    assert {(r.object_type, r.object_id, r.stage) for r in rows} == {("office", office_id, 0)}
    assert set(rows.values_list("recipient__username", flat=True)) == {"office", "inspector"}
    assert all(r.text.startswith("【待审核】1 份办理情况反馈") for r in rows)
    assert {r.link for r in rows} == {"/#list-to_review"}
    assert sweep_on(clock, date(2026, 11, 25))["reminders"] == 0  # once a day


def test_it_sends_pending_extensions_to_the_office_or_the_leader(users, built, clock):
    sweep_on(clock, date(2026, 11, 25))
    with_office = built["ext_request"]
    with_leader = built["ext_leader_request"]
    office_side = Reminder.objects.filter(rule=Rule.EXTENSION, object_id=with_office.pk)
    leader_side = Reminder.objects.filter(rule=Rule.EXTENSION, object_id=with_leader.pk)
    assert set(office_side.values_list("recipient__username", flat=True)) == {"office", "inspector"}
    assert set(leader_side.values_list("recipient__username", flat=True)) == {"vleader"}


def test_it_reminds_a_unit_to_sign(users, built, clock):
    # Assigned Monday 23 November, not signed: the reminder fires one working day later.
    sweep_on(clock, date(2026, 11, 24))
    task = built["to_sign"]
    reminders = Reminder.objects.filter(rule=Rule.SIGN, object_id=task.pk)
    assert set(reminders.values_list("recipient__username", flat=True)) == {"liaison_a", "head_a"}


def test_it_follows_the_office_policy_for_recipients_and_switching_off(users, units, built, clock):
    policy = ReminderPolicy.objects.create(
        office=units["市政府督查室"],
        recipients={Rule.SIGN: [Recipient.UNIT_HEAD]},
        deadline_stages="2,0",
    )
    sweep_on(clock, date(2026, 11, 24))
    task = built["to_sign"]
    reminders = Reminder.objects.filter(rule=Rule.SIGN, object_id=task.pk)
    assert set(reminders.values_list("recipient__username", flat=True)) == {"head_a"}
    policy.enabled = False
    policy.save()
    assert sweep_on(clock, date(2026, 11, 25))["reminders"] == 0


def test_it_does_nothing_on_a_day_off(users, built, clock):
    assert sweep_on(clock, date(2026, 11, 28))["workday"] == 0  # a Saturday
    assert not Reminder.objects.exists()


def test_it_queues_sms_for_working_hours(users, built, clock):
    liaison = users["liaison_a"]
    liaison.phone = "13800000001"
    liaison.save()
    clock.move_to("2026-11-24 07:00 +0800")
    sweep()
    sms = Outbox.objects.get(user=liaison, channel="sms", kind="digest")
    # Queued at 07:00, it waits until 08:30 the same (working) day.
    assert sms.not_before.isoformat() == "2026-11-24T00:30:00+00:00"


def test_it_reminds_a_unit_of_an_urging_reply_due(users, units, built, clock):
    from luoshi.urging.services import urging_issue

    notice = urging_issue(
        users["office"], built["late"], unit=units["市住房和城乡建设局"],
        text="请于期限内报送迟报原因及整改措施。", reply_due=date(2026, 11, 25),
    )  # fmt: skip
    sweep_on(clock, date(2026, 11, 24))
    sweep_on(clock, date(2026, 11, 25))
    assert fired(Rule.URGING, object_id=notice.pk) == [
        (date(2026, 11, 24), Rule.URGING, 1),
        (date(2026, 11, 25), Rule.URGING, 0),
    ]
    people = Reminder.objects.filter(rule=Rule.URGING).values_list("recipient__username", flat=True)
    assert set(people) == {"liaison_a", "head_a"}
    assert {r.link for r in Reminder.objects.filter(rule=Rule.URGING)} == {f"/urging/{notice.pk}/"}


def test_the_batched_recipients_are_those_of_the_one_by_one_rule(users, units, clock):
    from luoshi.notify import recipients as people
    from luoshi.org.models import Unit
    from luoshi.reminders.recipients import Resolver

    every = list(Unit.objects.all())
    resolver = Resolver()
    resolver.preload(every)
    for unit in every:
        assert [u.pk for u in resolver._get("liaison", unit)] == list(
            people.liaisons(unit).values_list("pk", flat=True)
        ), unit.name
        assert [u.pk for u in resolver._get("unit_head", unit)] == list(
            people.unit_heads(unit).values_list("pk", flat=True)
        ), unit.name
    housing = units["市住房和城乡建设局"]
    assert [u.username for u in resolver._get("liaison", housing)] == ["liaison_a"]
