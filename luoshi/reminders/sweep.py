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

from luoshi.accounts.models import User
from luoshi.ledger.models import Assignment
from luoshi.notify.models import ChannelConfig
from luoshi.notify.outbox import Message, channel_plans, enqueue_many, notify_robots
from luoshi.notify.rows import insert
from luoshi.org.models import Unit
from luoshi.reminders import pending
from luoshi.reminders.models import Reminder, ReminderPolicy
from luoshi.reminders.recipients import Resolver
from luoshi.reminders.rules import Recipient, Rule
from luoshi.reminders.schedule import Due, plan
from luoshi.workcal import calendar

BATCH = 1000  # tasks read (and their reminders written) at a time
CLAIM_CHUNK = 5000  # ids per UPDATE, under SQLite's limit on parameters
FLUSH_ROWS = 20_000  # reminder rows held before they are written
# Overdue tasks remind the office's people too; past pending.ROLL_UP_AFTER tasks of one
# office on a day they get one line with the count (a province's 30,000 tasks due on a day
# made 1.2 million office reminders: digests of thousands of lines that nobody reads).
OFFICE_ROLL_UP = frozenset({Rule.OVERDUE, Rule.ESCALATE})
ROLL_UP_TEXT: dict[str, str] = {
    Rule.OVERDUE: "【逾期】今日有 {n} 项任务处于逾期提醒节点，请在任务列表“逾期”中查看。",
    Rule.ESCALATE: (
        "【逾期升级】今日有 {n} 项任务逾期已达报送分管领导的时限，请在任务列表“逾期”中查看。"
    ),
}
# Rules about a unit's own work: these also go to the unit's group robots.
UNIT_RULES = frozenset({Rule.SIGN, Rule.DEADLINE, Rule.OVERDUE, Rule.REPORT, Rule.MILESTONE,
                        Rule.URGING})  # fmt: skip
# What ``plan`` and the recipients read of a due task: loading whole rows (a matter's
# content, tags, a dozen timestamps) cost more than planning them.
TASK_FIELDS = (
    "status", "assigned_at", "due_date", "next_report_due", "matter__number", "matter__title",
    "matter__office__path", "matter__supervising_leader__is_active", "lead_unit__name",
    "lead_unit__path",
)  # fmt: skip
# A reminder as the digests read it (no model instances: a day has thousands).
DIGEST_FIELDS = ("id", "recipient_id", "unit_id", "rule", "object_type", "object_id", "stage",
                 "text", "link")  # fmt: skip


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
        self.rows: list[dict[str, Any]] = []
        self.inserted = 0
        self.resolver = Resolver()
        self.office_items: dict[tuple[str, int], list[Any]] = defaultdict(list)

    def add(self, due: Due, policy: ReminderPolicy, unit: Any, matter: Any) -> None:
        if not policy.enabled:
            return
        groups = due.groups_override if due.groups_override is not None else policy.groups(due.rule)
        if due.rule in OFFICE_ROLL_UP and Recipient.OFFICE in groups:
            # The office's share waits for ``finish``: a line per task, or one for them all.
            self.office_items[(due.rule, matter.office_id)].append((due, policy, unit, matter))
            groups = [g for g in groups if g != Recipient.OFFICE]
        self._rows(due, groups, unit, matter)

    def _rows(self, due: Due, groups: list[str], unit: Any, matter: Any) -> None:
        common = {
            "rule": due.rule, "object_type": due.object_type, "object_id": due.object_id,
            "due_date": due.due_date, "stage": due.stage, "office_id": matter.office_id,
            "unit_id": unit.pk if unit is not None else None,
            "assignment_id": due.assignment.pk if due.assignment is not None else None,
            "fired_on": self.today, "text": due.text[:300], "link": due.link,
        }  # fmt: skip
        for user in self.resolver.users(groups, unit, matter):
            self.rows.append({**common, "recipient_id": user.pk})
        if len(self.rows) >= FLUSH_ROWS:  # bounded memory whatever the day brings
            self.flush()

    def finish(self) -> None:
        """The office's share of overdue and escalation reminders: a line per task, or past
        ``pending.ROLL_UP_AFTER`` tasks of one office that day, one line with the count."""
        office = [Recipient.OFFICE.value]
        for (rule, office_id), items in self.office_items.items():
            if len(items) <= pending.ROLL_UP_AFTER:
                for due, _policy, unit, matter in items:
                    self._rows(due, office, unit, matter)
                continue
            _due, _policy, _unit, matter = items[0]  # names the office
            text = ROLL_UP_TEXT[rule].format(n=len(items))
            link = f"{reverse('ledger:assignments')}?flag=overdue"
            rolled = Due(rule, "office", office_id, self.today, 0, text, link)
            self._rows(rolled, office, None, matter)
        self.office_items.clear()

    def flush(self) -> None:
        """Insert the rows collected so far; a reminder fired before is skipped by its key."""
        if not self.rows:
            return
        self.inserted += insert(Reminder, self.rows, ignore_conflicts=True)
        self.rows = []


def sweep_tasks(today: date, policies: Policies, out: Collector) -> int:
    # No ORDER BY: on SQLite it would walk the primary key through the whole table
    # instead of the ``next_remind_on`` index.
    due_ids = sorted(
        Assignment.objects.filter(next_remind_on__lte=today).order_by().values_list("pk", flat=True)
    )
    next_days: dict[date | None, list[int]] = defaultdict(list)
    for start in range(0, len(due_ids), BATCH):
        ids = due_ids[start : start + BATCH]
        tasks = list(
            Assignment.objects.filter(pk__in=ids)
            .select_related("matter__office", "matter__supervising_leader", "lead_unit")
            .only(*TASK_FIELDS)
            .prefetch_related("milestones")
        )
        out.resolver.preload([a.lead_unit for a in tasks])
        for a in tasks:
            policy = policies.get(a.matter.office_id)
            p = plan(a, policy, today)
            for due in p.due:
                out.add(due, policy, a.lead_unit, a.matter)
            next_days[p.next_on].append(a.pk)
        # Written batch by batch, so memory stays bounded however many are due.
        out.flush()
    # One UPDATE per next day (a few dozen) rather than per day and batch.
    for next_on, pks in next_days.items():
        for start in range(0, len(pks), CLAIM_CHUNK):
            chunk = pks[start : start + CLAIM_CHUNK]
            Assignment.objects.filter(pk__in=chunk).update(next_remind_on=next_on)
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
        out.finish()
        out.flush()
        counts["reminders"] = out.inserted
        counts["digests"], counts["robots"] = send_digests(today)
    return counts


def _lines(rows: list[Any]) -> list[dict[str, str]]:
    return [{"text": r.text, "link": r.link} for r in rows]


def send_digests(today: date) -> tuple[int, int]:
    """One message per person for today's undigested reminders; never an empty one."""
    rows = list(
        Reminder.objects.filter(digest_key="", fired_on__lte=today)
        .order_by("recipient_id", "rule", "id")
        .values_list(*DIGEST_FIELDS, named=True)
    )
    if not rows:
        return 0, 0
    batch = f"digest:{today:%Y%m%d}:{rows[0].id}"
    # Claim the rows for this run's digests; a sweep that got to any of them first wins and
    # this one rolls back.
    ids = [r.id for r in rows]
    for start in range(0, len(ids), CLAIM_CHUNK):
        chunk = ids[start : start + CLAIM_CHUNK]
        claimed = Reminder.objects.filter(digest_key="", pk__in=chunk).update(digest_key=batch)
        if claimed != len(chunk):
            raise RuntimeError("另一轮提醒扫描正在汇总同一批提醒，本轮放弃。")
    by_user: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        by_user[r.recipient_id].append(r)
    users = User.objects.in_bulk(list(by_user))
    plans = channel_plans(users.values())
    link = reverse("workbench:home")
    messages = []
    people = 0
    for user_id, items in by_user.items():
        user = users[user_id]
        if not user.is_active:
            continue
        people += 1
        subject = f"督办提醒：{today.month}月{today.day}日 {len(items)} 项"
        body = "\n".join(f"{i}. {r.text}" for i, r in enumerate(items, 1))
        for channel in plans[user.pk]:
            messages.append(Message(
                key=digest_key(batch, user.pk, channel), channel=channel, kind="digest",
                subject=subject, body=body, link=link, user=user, items=_lines(items),
            ))  # fmt: skip
    enqueue_many(messages)
    return people, _robot_digests(today, rows)


def digest_key(batch: str, user_id: int, channel: str) -> str:
    """The outbox key of one person's digest on one channel (提醒记录 looks it up)."""
    return f"{batch}:u{user_id}:{channel}"


def _robot_digests(today: date, rows: list[Any]) -> int:
    with_robots = set(
        ChannelConfig.objects.filter(enabled=True, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    by_unit: dict[int, dict[tuple[str, int, str, int], Any]] = defaultdict(dict)
    for r in rows:
        if r.unit_id in with_robots and r.rule in UNIT_RULES:
            by_unit[r.unit_id].setdefault((r.object_type, r.object_id, r.rule, r.stage), r)
    units = Unit.objects.in_bulk(list(by_unit))
    sent = 0
    for unit_id, found in by_unit.items():
        items = list(found.values())
        unit = units.get(unit_id)
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
