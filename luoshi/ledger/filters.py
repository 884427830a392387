"""Filtering and ordering the ledger; the same code serves the page and the API."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.states import AssignmentStatus, Light
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
    keyword = (data.get("q") or "").strip()
    if keyword:
        qs = qs.filter(
            Q(title__icontains=keyword)
            | Q(content__icontains=keyword)
            | Q(number__icontains=keyword)
        )
    return qs


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
    rows = list(qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, column), last.pk)
    return KeysetPage(rows, next_cursor, after is None)


def status_counts(qs: QuerySet[Matter]) -> dict[str, int]:
    return dict(
        qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )


def light_counts(qs: QuerySet[Matter]) -> dict[str, int]:
    """Matters per light (red, yellow, green); unlit matters are not counted."""
    rows = qs.order_by().exclude(light="").values_list("light").annotate(n=Count("id"))
    return dict(rows.values_list("light", "n"))


def light_links(user: Any, data: dict[str, Any], query: Any) -> list[dict[str, Any]]:
    """The ledger's 红/黄/绿灯 tabs: how many matters under the other filters (status
    included) show each light, and the link that adds the light to the current query."""
    from luoshi.ledger.selectors import matter_queryset_for

    base = apply_filters(matter_queryset_for(user), data, with_light=False)
    counts = light_counts(base)
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

    live = (
        Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
        .select_related("lead_unit")
        .prefetch_related("co_units__unit")
        .order_by("id")
    )
    return qs.select_related("supervising_leader", "office").prefetch_related(
        Prefetch("assignments", queryset=live, to_attr="live_assignments")
    )


@dataclass
class TaskFilter:
    """The task list's filters, read leniently from the query string (bad values are
    ignored): status, light, lead unit (its subtree) and overdue reports."""

    status: str = ""
    light: str = ""
    unit: Unit | None = None
    late: bool = False

    @classmethod
    def from_query(cls, params: Any) -> TaskFilter:
        status = params.get("status", "")
        light = params.get("light", "")
        unit = None
        raw_unit = params.get("unit", "")
        if raw_unit.isdigit():
            unit = Unit.objects.filter(pk=int(raw_unit)).first()
        return cls(
            status=status if status in AssignmentStatus.values else "",
            light=light if light in dict(LIGHT_CHOICES) else "",
            unit=unit,
            late=params.get("late") == "1",
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
        return qs


def late_report_q(today: date, prefix: str = "") -> Q:
    """A running task whose progress report is past due."""
    return Q(
        **{
            f"{prefix}status": AssignmentStatus.IN_PROGRESS,
            f"{prefix}next_report_due__lt": today,
        }
    )
