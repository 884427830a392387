"""Reminders about things waiting for someone other than the unit: a report waiting for the
office's review, an extension waiting for a decision, and an urging notice waiting for the
unit's reply. Found through their status (a handful of open rows), not by reading tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, cast

from django.urls import reverse
from django.utils import timezone

from luoshi.followup.models import ExtensionRequest, ProgressReport
from luoshi.followup.states import ExtensionStatus, ReportStatus
from luoshi.ledger.models import Matter
from luoshi.reminders.rules import Recipient, Rule
from luoshi.reminders.schedule import Due, Plan, day, label, task_link
from luoshi.workcal import calendar

Item = tuple[Due, Any, Any, Any]  # (due, policy, unit, matter)


def _since(at: datetime) -> date:
    return timezone.localdate(at)


# Beyond this many reports firing on one day, an office's review reminders become one line
# (per person) with the count: at province scale 25,000 reports waiting, each reminding
# the office's 22 people, made 565,000 reminder rows a day and digests nobody can read.
ROLL_UP_AFTER = 20


def reviews(today: date, policies: Any) -> Iterator[Item]:
    """Reports waiting for the office's review past its limit. First which of them fire,
    from three columns of each (a province has tens of thousands waiting: loading each with
    its task, matter and unit took seconds); then the reports themselves, only for the
    offices that get a line per report."""
    tz = timezone.get_current_timezone()
    waiting = ProgressReport.objects.filter(status=ReportStatus.PENDING_REVIEW).values_list(
        "pk", "submitted_at", "assignment__matter__office_id", "assignment__matter_id"
    )
    firing: dict[int, list[tuple[int, int, date, int]]] = defaultdict(list)
    for pk, submitted_at, office_id, matter_id in waiting.iterator(chunk_size=2000):
        policy = policies.get(office_id)
        since = submitted_at.astimezone(tz).date()
        p = Plan()
        try:
            p.every(since, policy.review_after, today, lambda n: n)
        except calendar.CalendarYearMissing:
            continue
        for n in cast(list[int], p.due):  # the stages (``make`` returned them as they are)
            firing[office_id].append((pk, n, since, matter_id))
    for office_id, found in firing.items():
        if len(found) > ROLL_UP_AFTER:
            yield _rolled_up(office_id, found, today, policies.get(office_id))
        else:
            yield from _each(found, policies)


def _each(found: list[tuple[int, int, date, int]], policies: Any) -> Iterator[Item]:
    stages = {pk: n for pk, n, _since, _matter in found}
    reports = ProgressReport.objects.filter(pk__in=list(stages)).select_related(
        "assignment__matter__office", "assignment__matter__supervising_leader", "unit"
    )
    for r in reports.order_by("pk"):
        a = r.assignment
        since, n = _since(r.submitted_at), stages[r.pk]
        due = Due(Rule.REVIEW, "report", r.pk, since, n,
                  f"【待审核】{r.unit.name}报送的{label(a)}办理情况（{day(since)}报送）"
                  f"已等待审核 {n} 个工作日。", task_link(a), a)  # fmt: skip
        yield due, policies.get(a.matter.office_id), r.unit, a.matter


def _rolled_up(office_id: int, found: list[tuple[int, int, date, int]], today: date,
               policy: Any) -> Item:  # fmt: skip
    """One reminder of the day for an office's many reports waiting (per person, once a
    day: its key is the office and today), pointing to the 工作台's 待审核反馈 list."""
    oldest = min(since for _pk, _n, since, _matter in found)
    # Any of its matters names the office (and its leader, should the policy want him).
    matter = Matter.objects.select_related("office", "supervising_leader").get(pk=found[0][3])
    text = (f"【待审核】{len(found)} 份办理情况反馈已等待审核超过时限（最早于{day(oldest)}报送），"
            "请在工作台“待审核反馈”中处理。")  # fmt: skip
    link = f"{reverse('workbench:home')}#list-to_review"
    due = Due(Rule.REVIEW, "office", office_id, today, 0, text, link)
    return due, policy, None, matter


def extensions(today: date, policies: Any) -> Iterator[Item]:
    waiting = ExtensionRequest.objects.filter(
        status__in=[ExtensionStatus.PENDING_OFFICE, ExtensionStatus.PENDING_LEADER]
    ).select_related("assignment__matter__office", "assignment__matter__supervising_leader",
                     "assignment__lead_unit")  # fmt: skip
    for x in waiting.iterator(chunk_size=500):
        a = x.assignment
        policy = policies.get(a.matter.office_id)
        with_leader = x.status == ExtensionStatus.PENDING_LEADER
        since = _since(x.office_at if with_leader and x.office_at else x.requested_at)
        who = "领导审批" if with_leader else "督查室审核"
        wanted = Recipient.LEADER if with_leader else Recipient.OFFICE
        groups = [g for g in policy.groups(Rule.EXTENSION) if g == wanted]

        def make(n: int, x: Any = x, a: Any = a, since: date = since, who: str = who,
                 groups: list[str] = groups) -> Due:  # fmt: skip
            unit = a.lead_unit.name if a.lead_unit else ""
            return Due(Rule.EXTENSION, "extension", x.pk, since, n,
                       f"【待审批】{unit}关于{label(a)}的延期申请（{day(x.current_due)}→"
                       f"{day(x.new_due)}）已等待{who} {n} 个工作日。", task_link(a), a,
                       groups_override=groups)  # fmt: skip

        p = Plan()
        try:
            p.every(since, policy.extension_after, today, make)
        except calendar.CalendarYearMissing:
            continue
        for due in p.due:
            yield due, policy, a.lead_unit, a.matter


def urgings(today: date, policies: Any) -> Iterator[Item]:
    """An urging notice's reply due date: the day before, and on the day."""
    from luoshi.urging.models import UrgingNotice
    from luoshi.urging.states import AWAITING_REPLY

    horizon = calendar.add_workdays(today, 1)
    notices = UrgingNotice.objects.filter(status__in=AWAITING_REPLY, reply_due__gte=today,
                                          reply_due__lte=horizon)  # fmt: skip
    for n in notices.select_related("assignment__matter__office", "unit").iterator(chunk_size=500):
        a = n.assignment
        policy = policies.get(a.matter.office_id)

        def make(stage: int, n: Any = n, a: Any = a) -> Due:
            when = (
                "今天是回复时限" if stage == 0 else f"回复时限 {day(n.reply_due)}，还有 1 个工作日"
            )
            return Due(Rule.URGING, "urging", n.pk, n.reply_due, stage,
                       f"【催办待回复】{n.number} {label(a)}：{when}，请在系统中回复。",
                       reverse("urging:detail", args=[n.pk]), a)  # fmt: skip

        p = Plan()
        try:
            p.before([1, 0], n.reply_due, today, make)
        except calendar.CalendarYearMissing:
            continue
        for due in p.due:
            yield due, policy, n.unit, a.matter


def due_items(today: date, policies: Any) -> Iterator[Item]:
    yield from reviews(today, policies)
    yield from extensions(today, policies)
    yield from urgings(today, policies)
