"""Filtering and ordering the ledger; the same code serves the page and the API."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from luoshi.ledger import search
from luoshi.ledger.models import Assignment, CoUnit, Matter
from luoshi.ledger.states import OPEN_ASSIGNMENT_STATES, AssignmentStatus, Light
from luoshi.org.models import Unit

# sort option → (column, descending). The id breaks ties in the same direction, so that
# (column, id) is a total order that keyset pagination can resume from.
SORTS: dict[str, tuple[str, bool]] = {
    "": ("id", True),
    "due_date": ("sort_due", False),
    "-due_date": ("sort_due", True),
    "number": ("number", False),
    "title": ("title", False),
}
# Worst first, as the counts and filters show them.
LIGHT_CHOICES = [
    (Light.RED.value, "红灯"),
    (Light.YELLOW.value, "黄灯"),
    (Light.GREEN.value, "绿灯"),
]
# A matter without a deadline (long-term) sorts as if due last.
NO_DUE = date(9999, 12, 31)


def _unit_subtree(pk: int) -> str | None:
    return Unit.objects.filter(pk=pk).values_list("path", flat=True).first()


def apply_filters(
    qs: QuerySet[Matter],
    data: dict[str, Any],
    *,
    with_status: bool = True,
    with_light: bool = True,
) -> QuerySet[Matter]:
    """``data`` is a FilterForm's cleaned_data; empty values are ignored. The page leaves out
    the status (or the light) to count every value of it under the other filters."""
    for field in ("year", "source", "category", "priority"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    if with_status and data.get("status"):
        qs = qs.filter(status=data["status"])
    if with_light and data.get("light"):
        qs = qs.filter(light=data["light"])
    if data.get("leader"):
        qs = qs.filter(supervising_leader_id=data["leader"])
    live = Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
    if data.get("lead_unit"):
        path = _unit_subtree(data["lead_unit"]) or "-"
        qs = qs.filter(pk__in=live.filter(lead_unit__path__startswith=path).values("matter_id"))
    if data.get("co_unit"):
        path = _unit_subtree(data["co_unit"]) or "-"
        qs = qs.filter(
            pk__in=live.filter(co_units__unit__path__startswith=path).values("matter_id")
        )
    if data.get("due_from"):
        qs = qs.filter(due_date__gte=data["due_from"])
    if data.get("due_to"):
        qs = qs.filter(due_date__lte=data["due_to"])
    if data.get("assigned_from") or data.get("assigned_to"):
        window = _date_window("assigned_at", data.get("assigned_from"), data.get("assigned_to"))
        qs = qs.filter(pk__in=live.filter(window).values("matter_id"))
    for column in ("approved", "closed"):
        start, end = data.get(f"{column}_from"), data.get(f"{column}_to")
        if start or end:
            qs = qs.filter(_date_window(f"{column}_at", start, end))
    keyword = (data.get("q") or "").strip()
    if keyword:
        qs = search.filter_keyword(qs, keyword)
    return qs


def _date_window(column: str, start: date | None, end: date | None) -> Q:
    """Local dates of a timestamp column within [start, end]."""
    q = Q()
    if start:
        q &= Q(**{f"{column}__date__gte": start})
    if end:
        q &= Q(**{f"{column}__date__lte": end})
    return q


def ordered(qs: QuerySet[Matter], sort: str | None) -> QuerySet[Matter]:
    column, desc = SORTS.get(sort or "", SORTS[""])
    if column == "sort_due":
        qs = qs.annotate(sort_due=Coalesce("due_date", Value(NO_DUE)))
    prefix = "-" if desc else ""
    return qs.order_by(f"{prefix}{column}", f"{prefix}id")


@dataclass
class KeysetPage:
    rows: list[Matter]
    next_cursor: str | None
    is_first: bool


def encode_cursor(value: Any, pk: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, date) else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, column: str) -> tuple[Any, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if column == "sort_due":
            value = date.fromisoformat(value)
        return value, int(pk)
    except (ValueError, TypeError):
        return None


def keyset_page(
    qs: QuerySet[Matter], sort: str | None, cursor: str | None, size: int
) -> KeysetPage:
    """One page after ``cursor``: as fast on page 2,000 as on page 1 (no OFFSET)."""
    column, desc = SORTS.get(sort or "", SORTS[""])
    qs = ordered(qs, sort)
    after = decode_cursor(cursor, column) if cursor else None
    if after is not None:
        value, pk = after
        op = "lt" if desc else "gt"
        qs = qs.filter(Q(**{f"{column}__{op}": value}) | Q(**{column: value, f"id__{op}": pk}))
    # The page's ids first, from the matters alone; then those rows with what they join.
    # Joined before the sort, a filter matching 15,000 matters (a keyword, a busy unit) cost
    # 15,000 lookups of the office and the leader for the 30 rows shown.
    keys = list(qs.values_list("pk", column)[: size + 1])
    next_cursor = None
    if len(keys) > size:
        keys = keys[:size]
        next_cursor = encode_cursor(keys[-1][1], keys[-1][0])
    found = qs.order_by().filter(pk__in=[pk for pk, _value in keys]).in_bulk() if keys else {}
    return KeysetPage([found[pk] for pk, _value in keys], next_cursor, after is None)


def status_counts(qs: QuerySet[Matter]) -> dict[str, int]:
    return dict(
        qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )


def light_counts(qs: QuerySet[Matter]) -> dict[str, int]:
    """Matters per light (red, yellow, green); unlit matters are not counted."""
    rows = qs.order_by().exclude(light="").values_list("light").annotate(n=Count("id"))
    return dict(rows.values_list("light", "n"))


def status_light_counts(
    qs: QuerySet[Matter], data: dict[str, Any], grid: Iterable[tuple[str, str, int]] | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """The ledger's two rows of tabs from one aggregate: matters per status under every
    filter but the status, and per light under every filter but the light. ``qs`` has every
    filter but those two; one GROUP BY (status, light) serves both, which halves the
    counting over a province's 200,000 matters. ``grid`` is that aggregate when the caller
    has it already (the kept counts, ``luoshi.ledger.tally``)."""
    if grid is None:
        # COUNT(*), not COUNT(id): the (status, light, year) index then answers alone.
        rows = qs.order_by().values_list("status", "light").annotate(n=Count("*"))
        grid = rows.values_list("status", "light", "n")
    status, light = data.get("status"), data.get("light")
    by_status: dict[str, int] = {}
    by_light: dict[str, int] = {}
    for s, lit, n in grid:
        if not light or lit == light:
            by_status[s] = by_status.get(s, 0) + n
        if lit and (not status or s == status):
            by_light[lit] = by_light.get(lit, 0) + n
    return by_status, by_light


def light_links(
    user: Any, data: dict[str, Any], query: Any, counts: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """The ledger's 红/黄/绿灯 tabs: how many matters under the other filters (status
    included) show each light, and the link that adds the light to the current query."""
    from luoshi.ledger.selectors import matter_queryset_for

    if counts is None:
        counts = light_counts(apply_filters(matter_queryset_for(user), data, with_light=False))
    links = []
    for value, label in LIGHT_CHOICES:
        q = query.copy()
        q.pop("after", None)
        active = data.get("light") == value
        if active:
            q.pop("light", None)
        else:
            q["light"] = value
        links.append({"value": value, "label": label, "count": counts.get(value, 0),
                      "url": "?" + q.urlencode(), "active": active})  # fmt: skip
    return links


def for_listing(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """Everything a ledger row shows, in a fixed number of queries whatever the page size."""
    from django.db.models import Prefetch

    # Only what a row names (units' names): a page builds a few hundred of these, and a
    # model instance costs by its number of fields.
    co = CoUnit.objects.select_related("unit").only(
        "assignment_id", "unit__name", "unit__short_name"
    )
    live = (
        Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
        .select_related("lead_unit")
        .only("matter_id", "status", "lead_unit__name", "lead_unit__short_name")
        .prefetch_related(Prefetch("co_units", queryset=co))
        .order_by("id")
    )
    return qs.select_related("supervising_leader", "office").prefetch_related(
        Prefetch("assignments", queryset=live, to_attr="live_assignments")
    )


@dataclass
class TaskFilter:
    """The task list's filters, read leniently from the query string (bad values are
    ignored): status, light, lead unit (its subtree) and overdue reports; and the
    statistics' drill-down: the matter's year and supervising leader, the 交办 period
    (``from``/``to``), one lead unit without its subtree (``lead``), the 办结 period
    (``done_from``/``done_to``) and one ``flag`` of ``TASK_FLAGS``, so that the list shows
    exactly the tasks a figure counted."""

    status: str = ""
    light: str = ""
    unit: Unit | None = None
    late: bool = False
    lead: int | None = None
    year: int | None = None
    leader: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    done_from: date | None = None
    done_to: date | None = None
    flag: str = ""

    @classmethod
    def from_query(cls, params: Any) -> TaskFilter:
        status = params.get("status", "")
        light = params.get("light", "")
        unit = None
        raw_unit = params.get("unit", "")
        if raw_unit.isdigit():
            unit = Unit.objects.filter(pk=int(raw_unit)).first()
        flag = params.get("flag", "")
        return cls(
            status=status if status in AssignmentStatus.values else "",
            light=light if light in dict(LIGHT_CHOICES) else "",
            unit=unit,
            late=params.get("late") == "1",
            lead=_number(params.get("lead", "")),
            year=_number(params.get("year", "")),
            leader=_number(params.get("leader", "")),
            date_from=_day(params.get("from", "")),
            date_to=_day(params.get("to", "")),
            done_from=_day(params.get("done_from", "")),
            done_to=_day(params.get("done_to", "")),
            flag=flag if flag in TASK_FLAGS else "",
        )

    def apply(self, qs: QuerySet[Assignment], today: date) -> QuerySet[Assignment]:
        if self.status:
            qs = qs.filter(status=self.status)
        else:
            qs = qs.exclude(status=AssignmentStatus.DRAFT)
        if self.light:
            qs = qs.filter(light=self.light)
        if self.unit is not None:
            qs = qs.filter(lead_unit__path__startswith=self.unit.path)
        if self.late:
            qs = qs.filter(late_report_q(today))
        if self.lead is not None:
            qs = qs.filter(lead_unit_id=self.lead)
        if self.year is not None:
            qs = qs.filter(matter__year=self.year)
        if self.leader is not None:
            qs = qs.filter(matter__supervising_leader_id=self.leader)
        if self.date_from is not None:
            qs = qs.filter(assigned_at__date__gte=self.date_from)
        if self.date_to is not None:
            qs = qs.filter(assigned_at__date__lte=self.date_to)
        if self.done_from is not None:
            qs = qs.filter(completed_at__date__gte=self.done_from)
        if self.done_to is not None:
            qs = qs.filter(completed_at__date__lte=self.done_to)
        if self.flag:
            qs = qs.filter(assigned_q(), task_flag_q(self.flag, today))
        return qs

    @property
    def notes(self) -> list[str]:
        """What the drill-down parameters restrict, for the line above the list."""
        notes = []
        if self.unit is not None:
            notes.append(f"牵头单位：{self.unit.name}")
        if self.late:
            notes.append("仅看反馈逾期")
        if self.lead is not None:
            name = Unit.objects.filter(pk=self.lead).values_list("name", flat=True).first()
            notes.append(f"牵头单位（不含下级）：{name or self.lead}")
        if self.year is not None:
            notes.append(f"{self.year}年度事项")
        if self.leader is not None:
            from luoshi.accounts.models import User

            name = User.objects.filter(pk=self.leader).values_list("name", flat=True).first()
            notes.append(f"分管领导：{name or self.leader}")
        if self.date_from or self.date_to:
            notes.append(f"交办于 {self.date_from or '…'} 至 {self.date_to or '…'}")
        if self.done_from or self.done_to:
            notes.append(f"办结于 {self.done_from or '…'} 至 {self.done_to or '…'}")
        if self.flag:
            notes.append(TASK_FLAGS[self.flag])
        return notes

    @property
    def hidden(self) -> list[tuple[str, str]]:
        """The drill-down parameters the status/light form must keep."""
        pairs = [
            ("unit", self.unit.pk if self.unit else None),
            ("late", "1" if self.late else None),
            ("lead", self.lead),
            ("year", self.year),
            ("leader", self.leader),
            ("from", self.date_from),
            ("to", self.date_to),
            ("done_from", self.done_from),
            ("done_to", self.done_to),
            ("flag", self.flag or None),
        ]
        return [(k, str(v)) for k, v in pairs if v is not None]


def _number(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


# flag → what the list then shows; the statistics count with the same ``task_flag_q``.
TASK_FLAGS: dict[str, str] = {
    "assigned": "已交办的任务（不含撤销）",
    "completed": "已办结",
    "on_time": "按期办结",
    "completed_late": "逾期办结",
    "overdue": "逾期（超期未办结或逾期办结）",
    "signed": "已签收",
    "signed_on_time": "按时签收",
    "signed_late": "逾期签收",
    "reported": "报送过办理情况反馈",
    "report_on_time": "有按时报送的反馈",
    "report_late": "有逾期报送的反馈",
    "report_reviewed": "反馈经督查室审核",
    "report_returned": "反馈被督查室退回",
}
REVIEW_ACTIONS = ("report_accept", "report_return")


def assigned_q() -> Q:
    return ~Q(status__in=[AssignmentStatus.DRAFT, AssignmentStatus.CANCELLED])


def completed_late_q() -> Q:
    # ``__date`` converts to the local date in SQL, on SQLite as on PostgreSQL.
    return Q(
        status=AssignmentStatus.COMPLETED,
        due_date__isnull=False,
        completed_at__date__gt=F("due_date"),
    )


def on_time_q() -> Q:
    """Completed on or before the (possibly extended) deadline; no deadline is on time."""
    return Q(status=AssignmentStatus.COMPLETED) & (
        Q(due_date__isnull=True) | Q(completed_at__date__lte=F("due_date"))
    )


def open_overdue_q(today: date) -> Q:
    """Still open past the deadline today."""
    return Q(status__in=OPEN_ASSIGNMENT_STATES, due_date__lt=today)


def overdue_q(today: date) -> Q:
    """Still open past the deadline today, or completed after it."""
    return open_overdue_q(today) | completed_late_q()


def signed_on_time_q() -> Q:
    return Q(signed_at__isnull=False) & (
        Q(sign_due__isnull=True) | Q(signed_at__date__lte=F("sign_due"))
    )


def signed_late_q() -> Q:
    return Q(signed_at__isnull=False, sign_due__isnull=False, signed_at__date__gt=F("sign_due"))


def task_flag_q(flag: str, today: date) -> Q:
    from django.db.models import Exists, OuterRef

    from luoshi.followup.models import ProgressReport
    from luoshi.ledger.models import MatterEvent

    reports = ProgressReport.objects.filter(assignment=OuterRef("pk"), kind=ProgressReport.LEAD)
    reviews = MatterEvent.objects.filter(assignment=OuterRef("pk"))
    simple: dict[str, Q] = {
        "assigned": Q(),
        "completed": Q(status=AssignmentStatus.COMPLETED),
        "on_time": on_time_q(),
        "completed_late": completed_late_q(),
        "overdue": overdue_q(today),
        "signed": Q(signed_at__isnull=False),
        "signed_on_time": signed_on_time_q(),
        "signed_late": signed_late_q(),
    }
    if flag in simple:
        return simple[flag]
    if flag == "reported":
        return Q(Exists(reports))
    if flag == "report_on_time":
        return Q(Exists(reports.filter(late=False)))
    if flag == "report_late":
        return Q(Exists(reports.filter(late=True)))
    if flag == "report_reviewed":
        return Q(Exists(reviews.filter(action__in=REVIEW_ACTIONS)))
    if flag == "report_returned":
        return Q(Exists(reviews.filter(action="report_return")))
    raise ValueError(flag)


def late_report_q(today: date, prefix: str = "") -> Q:
    """A running task whose progress report is past due."""
    return Q(
        **{
            f"{prefix}status": AssignmentStatus.IN_PROGRESS,
            f"{prefix}next_report_due__lt": today,
        }
    )
