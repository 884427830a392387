"""The daily sweep: fire due reminders, then send each person one digest.

Only tasks whose indexed ``next_remind_on`` has come are read (plus pending reports,
extension requests and urging notices, found through their status). Each reminder is a row
whose unique key (object, rule, due date, stage, recipient) makes it fire once, however
often or however concurrently the sweep runs. Reminders then go out as one digest per
person per day, queued in the outbox in the same transaction; robots of a unit's work
group get one digest of the unit's items.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from luoshi.ledger.models import Assignment
from luoshi.notify.models import ChannelConfig
from luoshi.notify.outbox import Message, channel_plans, enqueue_many, notify_robots
from luoshi.reminders import pending
from luoshi.reminders.models import Reminder, ReminderPolicy
from luoshi.reminders.recipients import Resolver
from luoshi.reminders.rules import Rule
from luoshi.reminders.schedule import Due, plan
from luoshi.workcal import calendar

BATCH = 1000
CLAIM_CHUNK = 5000  # ids per UPDATE, under SQLite's limit on parameters
# Rules about a unit's own work: these also go to the unit's group robots.
UNIT_RULES = frozenset({Rule.SIGN, Rule.DEADLINE, Rule.OVERDUE, Rule.REPORT, Rule.MILESTONE,
                        Rule.URGING})  # fmt: skip


class Policies:
    def __init__(self) -> None:
        self._by_office = {p.office_id: p for p in ReminderPolicy.objects.all()}

    def get(self, office_id: int) -> ReminderPolicy:
        policy = self._by_office.get(office_id)
        if policy is None:
            policy = self._by_office[office_id] = ReminderPolicy(office_id=office_id)
        return policy


def policy_for(office: Any) -> ReminderPolicy:
    """The office's rules, or the default rules when it never saved its own."""
    office_id = getattr(office, "pk", office)
    return ReminderPolicy.objects.filter(office_id=office_id).first() or ReminderPolicy(
        office_id=office_id
    )


class Collector:
    """Turns due items into reminder rows for their recipients."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.rows: list[Reminder] = []
        self.inserted = 0
        self.resolver = Resolver()

    def add(self, due: Due, policy: ReminderPolicy, unit: Any, matter: Any) -> None:
        if not policy.enabled:
            return
        groups = due.groups_override if due.groups_override is not None else policy.groups(due.rule)
        for user in self.resolver.users(groups, unit, matter):
            self.rows.append(Reminder(
                rule=due.rule, object_type=due.object_type, object_id=due.object_id,
                due_date=due.due_date, stage=due.stage, recipient=user, office_id=matter.office_id,
                unit=unit, assignment=due.assignment, fired_on=self.today, text=due.text[:300],
                link=due.link,
            ))  # fmt: skip

    def flush(self) -> None:
        """Insert the rows collected so far; a reminder fired before is skipped by its key."""
        if not self.rows:
            return
        before = Reminder.objects.filter(fired_on=self.today).count()
        Reminder.objects.bulk_create(self.rows, ignore_conflicts=True, batch_size=BATCH)
        self.rows = []
        self.inserted += Reminder.objects.filter(fired_on=self.today).count() - before


def sweep_tasks(today: date, policies: Policies, out: Collector) -> int:
    # No ORDER BY: on SQLite it would walk the primary key through the whole table
    # instead of the ``next_remind_on`` index.
    due_ids = sorted(
        Assignment.objects.filter(next_remind_on__lte=today).order_by().values_list("pk", flat=True)
    )
    for start in range(0, len(due_ids), BATCH):
        ids = due_ids[start : start + BATCH]
        tasks = list(
            Assignment.objects.filter(pk__in=ids)
            .select_related("matter__office", "matter__supervising_leader", "lead_unit")
            .prefetch_related("milestones")
        )
        out.resolver.preload([a.lead_unit for a in tasks])
        next_days: dict[date | None, list[int]] = defaultdict(list)
        for a in tasks:
            policy = policies.get(a.matter.office_id)
            p = plan(a, policy, today)
            for due in p.due:
                out.add(due, policy, a.lead_unit, a.matter)
            next_days[p.next_on].append(a.pk)
        for next_on, pks in next_days.items():
            Assignment.objects.filter(pk__in=pks).update(next_remind_on=next_on)
        # Written batch by batch, so memory stays bounded however many are due.
        out.flush()
    return len(due_ids)


def sweep(today: date | None = None) -> dict[str, int]:
    """Fire today's reminders and queue the digests; nothing on a day off."""
    today = today or timezone.localdate()
    counts = {"workday": 0, "tasks": 0, "reminders": 0, "digests": 0, "robots": 0}
    if not calendar.is_workday(today):
        return counts
    counts["workday"] = 1
    policies = Policies()
    out = Collector(today)
    with transaction.atomic():
        counts["tasks"] = sweep_tasks(today, policies, out)
        for due, policy, unit, matter in pending.due_items(today, policies):
            out.add(due, policy, unit, matter)
        out.flush()
        counts["reminders"] = out.inserted
        counts["digests"], counts["robots"] = send_digests(today)
    return counts


def _lines(rows: list[Reminder]) -> list[dict[str, str]]:
    return [{"text": r.text, "link": r.link} for r in rows]


def send_digests(today: date) -> tuple[int, int]:
    """One message per person for today's undigested reminders; never an empty one."""
    rows = list(
        Reminder.objects.filter(digest_key="", fired_on__lte=today)
        .select_related("recipient", "unit")
        .order_by("recipient_id", "rule", "id")
    )
    if not rows:
        return 0, 0
    batch = f"digest:{today:%Y%m%d}:{rows[0].pk}"
    # Claim the rows for this run's digests; a sweep that got to any of them first wins and
    # this one rolls back.
    ids = [r.pk for r in rows]
    for start in range(0, len(ids), CLAIM_CHUNK):
        chunk = ids[start : start + CLAIM_CHUNK]
        claimed = Reminder.objects.filter(digest_key="", pk__in=chunk).update(digest_key=batch)
        if claimed != len(chunk):
            raise RuntimeError("另一轮提醒扫描正在汇总同一批提醒，本轮放弃。")
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    for r in rows:
        by_user[r.recipient_id].append(r)
    plans = channel_plans([items[0].recipient for items in by_user.values()])
    messages = []
    people = 0
    for items in by_user.values():
        user = items[0].recipient
        if not user.is_active:
            continue
        people += 1
        subject = f"督办提醒：{today.month}月{today.day}日 {len(items)} 项"
        body = "\n".join(f"{i}. {r.text}" for i, r in enumerate(items, 1))
        for channel in plans[user.pk]:
            messages.append(Message(
                key=digest_key(batch, user.pk, channel), channel=channel, kind="digest",
                subject=subject, body=body, link=reverse("workbench:home"), user=user,
                items=_lines(items),
            ))  # fmt: skip
    enqueue_many(messages)
    return people, _robot_digests(today, rows)


def digest_key(batch: str, user_id: int, channel: str) -> str:
    """The outbox key of one person's digest on one channel (提醒记录 looks it up)."""
    return f"{batch}:u{user_id}:{channel}"


def _robot_digests(today: date, rows: list[Reminder]) -> int:
    with_robots = set(
        ChannelConfig.objects.filter(enabled=True, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    by_unit: dict[int, dict[tuple[str, int, str, int], Reminder]] = defaultdict(dict)
    for r in rows:
        if r.unit_id in with_robots and r.rule in UNIT_RULES:
            by_unit[r.unit_id].setdefault((r.object_type, r.object_id, r.rule, r.stage), r)
    sent = 0
    for unit_id, found in by_unit.items():
        items = list(found.values())
        unit = items[0].unit
        if unit is None:
            continue
        sent += notify_robots(
            unit, key=f"digest:unit{unit_id}:{today:%Y%m%d}", kind="digest",
            subject=f"{unit.name} 督办提醒（{today.month}月{today.day}日，{len(items)} 项）",
            body="\n".join(f"{i}. {r.text}" for i, r in enumerate(items, 1)),
            link=reverse("ledger:assignments"),
        )  # fmt: skip
    return sent


def sweep_loop() -> str:
    counts = sweep()
    if not counts["workday"]:
        return "今天不是工作日，不发提醒"
    return (
        f"检查任务 {counts['tasks']} 项，新提醒 {counts['reminders']} 条，"
        f"汇总消息 {counts['digests']} 份，群机器人 {counts['robots']} 条"
    )
