"""What waits for each role now (我的待办), as short lists for the 工作台 and full lists for
the 我的待办 page. Every list is one query (two when it is longer than shown), whatever the
number of rows, and each row links to the page where the user acts on it. Counts known
otherwise are not counted again: the office's task lists from the kept tallies
(``tally``), the matter lists from one count per status."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import OFFICE_ROLES, UNIT_ROLES, Role
from luoshi.followup.models import ExtensionRequest, ProgressReport
from luoshi.followup.states import ExtensionStatus as X
from luoshi.followup.states import ReportStatus as R
from luoshi.ledger.models import Assignment, CoUnit, Matter
from luoshi.ledger.selectors import covers_every_unit, unit_subtree
from luoshi.ledger.states import FINISHED_MATTER_STATES, Light
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M
from luoshi.workbench import tally
from luoshi.workcal import calendar

# Reports due within this many working days are listed as 待报送.
REPORT_SOON_WORKDAYS = 3


@dataclass
class Item:
    title: str
    url: str
    note: str = ""
    light: str | None = None  # None: the row has no light to show


@dataclass
class WorkList:
    key: str
    label: str
    count: int
    items: list[Item]
    url: str  # a page listing all of them, if there is one besides 我的待办
    tone: str = ""  # "warn" or "bad" once something waits
    group: str = ""  # whose work: the 工作台 shows a card per group

    @property
    def testid(self) -> str:
        return "work-" + self.key.replace("_", "-")

    @property
    def more(self) -> int:
        return self.count - len(self.items)

    @property
    def href(self) -> str:
        return self.url or f"{reverse('ledger:my_work')}#{self.testid}"


@dataclass
class Lister:
    """Builds the lists of one user with at most ``limit`` rows each."""

    limit: int
    today: date
    group: str = ""
    out: dict[str, WorkList] = field(default_factory=dict)
    tallies: tally.Once = field(default_factory=tally.Once)

    def add(
        self,
        key: str,
        label: str,
        qs: QuerySet[Any],
        item: Callable[[Any], Item],
        *,
        url: str = "",
        tone: str = "warn",
        count: int | None = None,
    ) -> None:
        """``count``: the list's length when known without counting it (the tallies)."""
        rows = list(qs[: self.limit])
        if count is None:
            count = len(rows) if len(rows) < self.limit else qs.count()
        self.out[key] = WorkList(
            key=key,
            label=label,
            count=count,
            items=[item(row) for row in rows],
            url=url,
            tone=tone if count else "",
            group=self.group,
        )


def _day(d: date | None) -> str:
    return f"{d:%Y-%m-%d}" if d else "—"


def _at(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}" if moment else ""


# The columns each row reads (a list of 50 rows of whole matters would read their texts).
TASK_FIELDS = (
    "light", "due_date", "sign_due", "next_report_due", "completion_requested_at",
    "return_reason", "matter", "matter__title", "lead_unit", "lead_unit__name",
)  # fmt: skip
MATTER_FIELDS = ("title", "number", "light", "assign_due", "cancel_reason")
REPORT_FIELDS = (
    "kind", "revision", "submitted_at", "unit", "unit__name", "assignment",
    "assignment__matter", "assignment__matter__title",
)  # fmt: skip
EXTENSION_FIELDS = (
    "current_due", "new_due", "assignment", "assignment__light", "assignment__matter",
    "assignment__matter__title", "assignment__lead_unit", "assignment__lead_unit__name",
)  # fmt: skip
CO_FIELDS = ("unit", "unit__name", "assignment", "assignment__matter", "assignment__matter__title")
_ID = 987654321  # a placeholder id, to split a reversed URL around it


@functools.cache
def _around_id(name: str, prefix: str) -> tuple[str, str]:
    """``name``'s URL split around its id: reversing costs more than formatting, and 我的待办
    links hundreds of rows. ``prefix``: the script prefix the URL was reversed under."""
    head, _, tail = reverse(name, args=[_ID]).partition(str(_ID))
    return head, tail


def _url(name: str, pk: Any) -> str:
    head, tail = _around_id(name, get_script_prefix())
    return f"{head}{pk}{tail}"


def task_url(a: Assignment | Model) -> str:
    return _url("ledger:assignment", a.pk)


def matter_url(m: Matter) -> str:
    return _url("ledger:matter", m.pk)


def _tasks(query: str) -> str:
    return f"{reverse('ledger:assignments')}?{query}"


def _ledger(status: str) -> str:
    return f"{reverse('ledger:ledger')}?status={status}"


def _matter_item(m: Matter) -> Item:
    return Item(m.title, matter_url(m), m.number or "（未编号）", m.light)


def _task_item(
    note: Callable[[Assignment], str], *, with_unit: bool = True
) -> Callable[[Assignment], Item]:
    """A task's row; the unit's own lists leave out its own name."""

    def make(a: Assignment) -> Item:
        unit = a.lead_unit.name if a.lead_unit else "—"
        title = f"{a.matter.title} · {unit}" if with_unit else a.matter.title
        return Item(title, task_url(a), note(a), a.light)

    return make


def _report_item(r: ProgressReport) -> Item:
    a = r.assignment
    kind = "配合材料" if r.kind == ProgressReport.CO else "反馈"
    note = f"{r.unit.name}{kind} · 第{r.revision}版 · {_at(r.submitted_at)}报送"
    return Item(a.matter.title, task_url(a), note, None)


def _extension_item(x: ExtensionRequest) -> Item:
    a = x.assignment
    unit = a.lead_unit.name if a.lead_unit else "—"
    note = f"{unit} · 由 {_day(x.current_due)} 延至 {_day(x.new_due)}"
    return Item(a.matter.title, task_url(a), note, a.light)


def soon_cutoff(today: date, workdays: int = REPORT_SOON_WORKDAYS) -> date:
    """The last day that is still “within ``workdays`` working days”. When the calendar does
    not know the next year yet, ``workdays`` calendar days: never more than that many
    working days, so nothing is listed that is not due soon."""
    try:
        return calendar.add_workdays(today, workdays)
    except calendar.CalendarYearMissing:
        return today + timedelta(days=workdays)


def _unit_lists(user: Any, w: Lister) -> None:
    units = unit_subtree(user)
    mine = Assignment.objects.filter(lead_unit__in=units).select_related("matter", "lead_unit")
    mine = mine.only(*TASK_FIELDS)
    w.add("to_sign", "待签收", mine.filter(status=A.PENDING_SIGN).order_by("sign_due", "id"),
          _task_item(lambda a: f"签收时限 {_day(a.sign_due)}", with_unit=False),
          url=_tasks("status=pending_sign"))  # fmt: skip
    co = CoUnit.objects.filter(
        unit__in=units,
        signed_at__isnull=True,
        assignment__status__in=[A.PENDING_SIGN, A.IN_PROGRESS],
    ).select_related("assignment__matter", "unit")
    co = co.only(*CO_FIELDS)
    w.add("co_to_sign", "待签收（配合）", co.order_by("id"),
          lambda c: Item(c.assignment.matter.title, task_url(c.assignment),
                         f"{c.unit.name}配合", None))  # fmt: skip

    def due_note(a: Assignment) -> str:
        late = a.next_report_due is not None and a.next_report_due < w.today
        return f"反馈时限 {_day(a.next_report_due)}" + ("（已逾期）" if late else "")

    due = mine.filter(status=A.IN_PROGRESS, next_report_due__lte=soon_cutoff(w.today))
    w.add("reports_due", "待报送反馈", due.order_by("next_report_due", "id"),
          _task_item(due_note, with_unit=False))  # fmt: skip
    # Red tasks the unit still has to act on; once completion is asked for, the wait is
    # the office's.
    red = mine.filter(light=Light.RED, status__in=[A.PENDING_SIGN, A.IN_PROGRESS])
    w.add("overdue", "逾期（红灯）", red.order_by("due_date", "id"),
          _task_item(lambda a: f"完成时限 {_day(a.due_date)}", with_unit=False),
          url=_tasks("light=red"), tone="bad")  # fmt: skip
    reports = ProgressReport.objects.select_related("assignment__matter", "unit").exclude(
        assignment__matter__status__in=FINISHED_MATTER_STATES
    )
    reports = reports.only(*REPORT_FIELDS)
    mine_reports = reports.filter(unit__in=units)
    w.add("reports_returned", "被退回的反馈",
          mine_reports.filter(status=R.RETURNED).order_by("submitted_at", "id"), _report_item,
          tone="bad")  # fmt: skip
    if access.has_role(user, {Role.UNIT_HEAD}):
        heads = reports.filter(unit__in=unit_subtree(user, {Role.UNIT_HEAD}))
        w.add("head_review", "待我审核的反馈",
              heads.filter(status=R.PENDING_HEAD).order_by("submitted_at", "id"),
              _report_item)  # fmt: skip
    parts = reports.filter(
        assignment__lead_unit__in=units,
        kind=ProgressReport.CO,
        status=R.PENDING_LEAD,
    )
    w.add("co_parts", "配合单位材料待汇总", parts.order_by("submitted_at", "id"), _report_item)


def year_review_q(today: date) -> Q:
    """Long-term matters whose year-end review is due (as ``closing.year_review_due``)."""
    year = today.year if today.month == 12 else today.year - 1 if today.month == 1 else None
    if year is None:
        return Q(pk__in=[])
    return Q(long_term=True, status__in=[M.ASSIGNED, M.IN_PROGRESS]) & (
        Q(last_reviewed_year__isnull=True) | Q(last_reviewed_year__lt=year)
    )


def _office_lists(user: Any, w: Lister) -> None:
    # The city's office sees every matter: no condition then, rather than one that keeps
    # every row and costs a join per row.
    everything = covers_every_unit(user, OFFICE_ROLES)
    matters = Matter.objects.filter(access.scope_q(user, OFFICE_ROLES, "office__path"))
    tasks = Assignment.objects.filter(matter__in=matters)
    in_scope = Q(assignment__matter__in=matters)
    if everything:
        matters, tasks, in_scope = Matter.objects.all(), Assignment.objects.all(), Q()

    # Every task: its counts by status and light are kept (``tally``), not counted here.
    def counted(**which: Any) -> int | None:
        return w.tallies().total(**which) if everything else None

    # The matter lists' counts in one pass over the status index, not one count each.
    by_status = dict(
        matters.filter(status__in=[M.VERIFIED, M.CLOSED, M.APPROVED, M.DRAFT])
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )

    tasks = tasks.select_related("matter", "lead_unit").only(*TASK_FIELDS)
    matters = matters.only(*MATTER_FIELDS)
    reviews = ProgressReport.objects.filter(in_scope, status=R.PENDING_REVIEW)
    reviews = reviews.select_related("assignment__matter", "unit").only(*REPORT_FIELDS)
    w.add("to_review", "待审核反馈", reviews.order_by("submitted_at", "id"), _report_item)
    w.add("to_verify", "待核查",
          tasks.filter(status=A.PENDING_VERIFICATION).order_by("completion_requested_at", "id"),
          _task_item(lambda a: f"{_at(a.completion_requested_at)} 申请办结"),
          url=_tasks("status=pending_verification"),
          count=counted(statuses=[A.PENDING_VERIFICATION]))  # fmt: skip
    exts = ExtensionRequest.objects.filter(in_scope, status=X.PENDING_OFFICE)
    exts = exts.select_related("assignment__matter", "assignment__lead_unit")
    exts = exts.only(*EXTENSION_FIELDS)
    w.add("ext_office", "延期待审", exts.order_by("requested_at", "id"), _extension_item)
    w.add("to_report", "待呈报", matters.filter(status=M.VERIFIED).order_by("id"),
          _matter_item, url=_ledger(M.VERIFIED), count=by_status.get(M.VERIFIED, 0))  # fmt: skip
    w.add("to_archive", "待归档", matters.filter(status=M.CLOSED).order_by("closed_at", "id"),
          _matter_item, url=_ledger(M.CLOSED), tone="",
          count=by_status.get(M.CLOSED, 0))  # fmt: skip
    cancels = matters.filter(cancel_requested_at__isnull=False).exclude(
        status__in=FINISHED_MATTER_STATES
    )
    w.add("cancel_requests", "撤销申请（待领导审批）", cancels.order_by("cancel_requested_at"),
          _matter_item, tone="")  # fmt: skip
    w.add("red", "红灯任务", tasks.filter(light=Light.RED).order_by("due_date", "id"),
          _task_item(lambda a: f"完成时限 {_day(a.due_date)}"),
          url=_tasks("light=red"), tone="bad", count=counted(lights=[Light.RED]))  # fmt: skip
    w.add("yellow", "黄灯任务", tasks.filter(light=Light.YELLOW).order_by("due_date", "id"),
          _task_item(lambda a: f"完成时限 {_day(a.due_date)}"),
          url=_tasks("light=yellow"), count=counted(lights=[Light.YELLOW]))  # fmt: skip
    w.add("year_review", "待年终评估", matters.filter(year_review_q(w.today)).order_by("id"),
          _matter_item)  # fmt: skip
    w.add("returned", "被退回的任务", tasks.filter(status=A.RETURNED).order_by("id"),
          _task_item(lambda a: a.return_reason), url=_tasks("status=returned"),
          tone="bad", count=counted(statuses=[A.RETURNED]))  # fmt: skip
    w.add("to_assign", "待交办", matters.filter(status=M.APPROVED).order_by("assign_due", "id"),
          lambda m: Item(m.title, matter_url(m), f"交办时限 {_day(m.assign_due)}", None),
          url=_ledger(M.APPROVED), count=by_status.get(M.APPROVED, 0))  # fmt: skip
    w.add("drafts", "草稿", matters.filter(status=M.DRAFT).order_by("-id"), _matter_item,
          url=_ledger(M.DRAFT), tone="", count=by_status.get(M.DRAFT, 0))  # fmt: skip


def leader_matters_q(user: Any) -> Q:
    """The matters this leader decides on (``ledger.services.can_approve``)."""
    return access.scope_q(user, {Role.LEADER}, "office__path") | Q(supervising_leader=user)


def _leader_lists(user: Any, w: Lister) -> None:
    matters = Matter.objects.filter(leader_matters_q(user)).only(*MATTER_FIELDS)
    w.add("to_approve", "待审批立项",
          matters.filter(status=M.PENDING_APPROVAL).order_by("id"), _matter_item,
          url=_ledger(M.PENDING_APPROVAL))  # fmt: skip
    exts = ExtensionRequest.objects.filter(
        assignment__matter__in=matters, status=X.PENDING_LEADER
    ).select_related("assignment__matter", "assignment__lead_unit")
    exts = exts.only(*EXTENSION_FIELDS)
    w.add("ext_leader", "延期待批", exts.order_by("office_at", "id"), _extension_item)
    w.add("to_close", "待销号", matters.filter(status=M.REPORTED).order_by("reported_at", "id"),
          _matter_item, url=_ledger(M.REPORTED))  # fmt: skip
    cancels = matters.filter(cancel_requested_at__isnull=False).exclude(
        status__in=FINISHED_MATTER_STATES
    )
    w.add(
        "cancel_to_decide",
        "撤销待批",
        cancels.order_by("cancel_requested_at"),
        lambda m: Item(m.title, matter_url(m), f"理由：{m.cancel_reason}", m.light),
    )


def work_lists(
    user: Any, *, limit: int = 50, today: date | None = None, tallies: tally.Once | None = None
) -> dict[str, WorkList]:
    """Every list the user's roles have, in the order the pages show them. ``tallies``: read
    once for the page, when it shows other figures from them."""
    w = Lister(limit=limit, today=today or timezone.localdate(), tallies=tallies or tally.Once())
    if access.has_role(user, {Role.LEADER}):
        w.group = "领导待办"
        _leader_lists(user, w)
    if access.has_role(user, OFFICE_ROLES):
        w.group = "督查室待办"
        _office_lists(user, w)
    if access.has_role(user, UNIT_ROLES):
        w.group = "单位待办"
        _unit_lists(user, w)
    return w.out
