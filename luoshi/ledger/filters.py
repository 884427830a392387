"""Filtering and ordering the ledger; the same code serves the page and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.states import AssignmentStatus
from luoshi.org.models import Unit

ORDERINGS = {
    "": ["-year", "-id"],
    "due_date": ["due_date", "-id"],
    "-due_date": ["-due_date", "-id"],
    "number": ["number", "-id"],
    "title": ["title", "-id"],
}


def _unit_subtree(pk: int) -> str | None:
    return Unit.objects.filter(pk=pk).values_list("path", flat=True).first()


def apply_filters(
    qs: QuerySet[Matter], data: dict[str, Any], *, with_status: bool = True
) -> QuerySet[Matter]:
    """``data`` is a FilterForm's cleaned_data; empty values are ignored."""
    for field in ("year", "source", "category", "priority"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    if with_status and data.get("status"):
        qs = qs.filter(status=data["status"])
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
    return qs.order_by(*ORDERINGS.get(sort or "", ORDERINGS[""]))


def status_counts(qs: QuerySet[Matter]) -> dict[str, int]:
    return dict(
        qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )


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
