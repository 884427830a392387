"""The only code that writes 催办单 / 督办通知; each function is one transaction.

The office issues a numbered notice to the lead unit or a co-unit of an open task; the
unit's liaison or head replies before the reply deadline; the office accepts the reply
(办结) or returns it with a new deadline, or withdraws the notice. Every step is a
``MatterEvent`` of the task and queues its notifications in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import OFFICE_ROLES, UNIT_ROLES
from luoshi.core.errors import NotPermitted, ServiceError, StaleObject
from luoshi.followup.services.common import clean_text, require_open
from luoshi.ledger import workflow
from luoshi.ledger.models import Assignment
from luoshi.ledger.rules import require_workday, workdays_after
from luoshi.ledger.services import next_number, require_office
from luoshi.ledger.states import FINISHED_MATTER_STATES, check_transition
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.notify import recipients
from luoshi.notify.outbox import notify_robots, notify_users
from luoshi.org.models import Unit
from luoshi.urging.models import UrgingNotice
from luoshi.urging.states import (
    NUMBER_PATTERNS,
    URGING_TRANSITIONS,
    UrgingKind,
    UrgingStatus,
)

U = UrgingStatus
TEXT_MIN = 10
REPLY_MIN = 10
OPINION_MIN = 5
DEFAULT_REPLY_WORKDAYS = 3
# Tasks out with their units and not finished (a returned task waits for the office).
URGEABLE_TASK_STATES = frozenset({A.PENDING_SIGN, A.IN_PROGRESS, A.PENDING_VERIFICATION})
STALE = "该催办单已被他人处理，请刷新页面后重试。"
KIND = "urging"


def default_reply_due(today: date | None = None) -> date:
    return workdays_after(today or timezone.localdate(), DEFAULT_REPLY_WORKDAYS)


def task_units(assignment: Assignment) -> list[Unit]:
    """The units a notice about this task may go to: the lead unit, then the co-units."""
    units = [assignment.lead_unit] if assignment.lead_unit is not None else []
    units += [c.unit for c in assignment.co_units.select_related("unit").order_by("id")]
    return units


def can_urge(actor: Any, assignment: Assignment) -> bool:
    matter = assignment.matter
    return (
        access.covers(actor, OFFICE_ROLES, matter.office)
        and matter.status not in FINISHED_MATTER_STATES
        and assignment.status in URGEABLE_TASK_STATES
    )


def is_urged_unit(actor: Any, notice: UrgingNotice) -> bool:
    return access.covers(actor, UNIT_ROLES, notice.unit)


def _require_unit(actor: Any, notice: UrgingNotice) -> None:
    if not is_urged_unit(actor, notice):
        raise NotPermitted("只有被催办单位的联络员或负责人可以回复。")


def _check_due(due: date | None, today: date) -> date:
    if due is None:
        try:
            return default_reply_due(today)
        except ServiceError as exc:  # the calendar does not know the coming days yet
            raise ServiceError(exc.message, field="reply_due") from None
    if due < today:
        raise ServiceError("回复时限不能早于今天。", field="reply_due")
    require_workday(due, "reply_due")
    return due


def _link(notice: UrgingNotice) -> str:
    return reverse("urging:detail", args=[notice.pk])


def _unit_people(unit: Unit) -> Any:
    return recipients.holders(unit, UNIT_ROLES)


def _subject(notice: UrgingNotice, what: str) -> str:
    return f"{notice.title}{notice.number}{what}：{notice.matter.title}"


def _event(
    notice: UrgingNotice, actor: Any, action: str, before: str, comment: str = "", **extra: Any
) -> None:
    # The notice's own states live in ``changes``: the event's from/to columns are read
    # as the task's states by the task page and the matter timeline.
    changes = {
        "urging": notice.pk,
        "number": notice.number,
        "unit": notice.unit.name,
        "from": before,
        "to": notice.status,
        **extra,
    }
    workflow.record(
        notice.matter, actor, action, assignment=notice.assignment, comment=comment, changes=changes
    )


def _move(
    notice: UrgingNotice,
    target: str,
    actor: Any,
    action: str,
    *,
    version: int | None,
    comment: str = "",
    extra: dict[str, Any] | None = None,
    **fields: Any,
) -> UrgingNotice:
    """The one transition: check the table, claim the row by status and version, log it."""
    if version is not None and version != notice.version:
        raise StaleObject(STALE)
    before = notice.status
    check_transition(URGING_TRANSITIONS, UrgingStatus, before, target)
    won = UrgingNotice.objects.filter(pk=notice.pk, status=before, version=notice.version).update(
        status=target, version=F("version") + 1, **fields
    )
    if won != 1:
        raise StaleObject(STALE)
    notice.refresh_from_db()
    _event(notice, actor, action, before, comment, **(extra or {}))
    return notice


@transaction.atomic
def urging_issue(
    actor: Any,
    assignment: Assignment,
    *,
    unit: Unit | None,
    text: str,
    reply_due: date | None = None,
    kind: str = UrgingKind.URGE,
) -> UrgingNotice:
    """Number and send a 催办单 or 督办通知 to one unit of an open task."""
    assignment = Assignment.objects.select_related("matter__office", "lead_unit").get(
        pk=assignment.pk
    )
    matter = assignment.matter
    require_office(actor, matter)
    require_open(matter, "催办")
    if assignment.status not in URGEABLE_TASK_STATES:
        raise ServiceError(f"任务{A(assignment.status).label}，不能催办。")
    if kind not in UrgingKind.values:
        raise ServiceError("请选择催办单或督办通知。", field="kind")
    if unit is None:
        raise ServiceError("请选择被催办单位。", field="unit")
    if unit.pk not in {u.pk for u in task_units(assignment)}:
        raise ServiceError("只能催办该任务的牵头单位或配合单位。", field="unit")
    text = clean_text(text, "催办要求", "text", TEXT_MIN)
    today = timezone.localdate()
    due = _check_due(reply_due, today)
    number = next_number(matter.office, kind, today.year, NUMBER_PATTERNS[UrgingKind(kind)])
    notice = UrgingNotice.objects.create(
        office=matter.office,
        kind=kind,
        year=today.year,
        number=number,
        assignment=assignment,
        matter=matter,
        unit=unit,
        text=text,
        reply_due=due,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    action = "urge" if kind == UrgingKind.URGE else "urge_notice"
    comment = f"{notice.number}（{unit.label}）"
    _event(notice, actor, action, "", comment, text=text, reply_due=str(due))
    key = f"urging:{notice.pk}:issue"
    body = f"{text}\n请于{due:%Y年%m月%d日}前将办理情况通过系统回复。"
    subject, link = _subject(notice, ""), _link(notice)
    notify_users(_unit_people(unit), key=key, kind=KIND, subject=subject, body=body, link=link)
    notify_robots(unit, key=key, kind=KIND, subject=subject, body=body, link=link)
    return notice


@transaction.atomic
def urging_reply(
    actor: Any, notice: UrgingNotice, text: str, version: int | None = None
) -> UrgingNotice:
    """The urged unit's reply; late when sent after the reply deadline."""
    _require_unit(actor, notice)
    require_open(notice.matter, "回复")
    text = clean_text(text, "回复内容", "reply_text", REPLY_MIN)
    now = timezone.now()
    fields: dict[str, Any] = {}
    if notice.read_at is None:
        fields.update(read_at=now, read_by=actor)
    late = timezone.localdate() > notice.reply_due
    _move(
        notice,
        U.REPLIED,
        actor,
        "urge_reply",
        version=version,
        comment="逾期回复" if late else "",
        extra={"text": text, "late": late},
        reply_text=text,
        replied_by=actor,
        replied_at=now,
        replied_late=late,
        **fields,
    )
    office = [notice.issued_by, *recipients.office_staff(notice.office)]
    notify_users(
        office,
        key=f"urging:{notice.pk}:reply:{notice.returns}",
        kind=KIND,
        subject=_subject(notice, "已回复"),
        body=f"{notice.unit.name}：{text}",
        link=_link(notice),
    )
    return notice


@transaction.atomic
def urging_accept(
    actor: Any, notice: UrgingNotice, comment: str = "", version: int | None = None
) -> UrgingNotice:
    """办结: the office is satisfied with the reply."""
    require_office(actor, notice.office)
    comment = (comment or "").strip()
    _move(
        notice,
        U.ACCEPTED,
        actor,
        "urge_accept",
        version=version,
        comment=comment,
        review_comment=comment,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )
    notify_users(
        _unit_people(notice.unit),
        key=f"urging:{notice.pk}:accept",
        kind=KIND,
        subject=_subject(notice, "已办结"),
        body=comment or "督查室已确认回复，该催办已办结。",
        link=_link(notice),
    )
    return notice


@transaction.atomic
def urging_return(
    actor: Any,
    notice: UrgingNotice,
    comment: str,
    reply_due: date | None = None,
    version: int | None = None,
) -> UrgingNotice:
    """The reply does not answer the demand: back to the unit with a new reply deadline."""
    require_office(actor, notice.office)
    require_open(notice.matter, "退回")
    comment = clean_text(comment, "退回意见", "comment", OPINION_MIN)
    due = _check_due(reply_due, timezone.localdate())
    _move(
        notice,
        U.RETURNED,
        actor,
        "urge_return",
        version=version,
        comment=comment,
        extra={"reply_due": str(due)},
        review_comment=comment,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        returns=F("returns") + 1,
        reply_due=due,
    )
    notify_users(
        _unit_people(notice.unit),
        key=f"urging:{notice.pk}:return:{notice.returns}",
        kind=KIND,
        subject=_subject(notice, "回复被退回"),
        body=f"{comment}\n请于{due:%Y年%m月%d日}前重新回复。",
        link=_link(notice),
    )
    return notice


@transaction.atomic
def urging_cancel(
    actor: Any, notice: UrgingNotice, reason: str, version: int | None = None
) -> UrgingNotice:
    """撤回 a notice the unit has not answered (sent to the wrong unit, matter settled …)."""
    require_office(actor, notice.office)
    reason = clean_text(reason, "撤回原因", "reason", OPINION_MIN)
    _move(
        notice,
        U.CANCELLED,
        actor,
        "urge_cancel",
        version=version,
        comment=reason,
        cancel_reason=reason,
        cancelled_by=actor,
        cancelled_at=timezone.now(),
    )
    notify_users(
        _unit_people(notice.unit),
        key=f"urging:{notice.pk}:cancel",
        kind=KIND,
        subject=_subject(notice, "已撤回"),
        body=reason,
        link=_link(notice),
    )
    return notice


def mark_read(actor: Any, notice: UrgingNotice) -> bool:
    """签阅: the first time someone of the urged unit opens the notice. Not a transition
    (the version stays, so a reply form already open is not made stale)."""
    if notice.read_at is not None or not is_urged_unit(actor, notice):
        return False
    won = UrgingNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=actor
    )
    notice.refresh_from_db(fields=["read_at", "read_by"])
    return won == 1
