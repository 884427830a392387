"""Assignment pages: the unit's task list, one task, and each role's 我的待办."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property

from luoshi.accounts import access
from luoshi.core.types import AuthedRequest
from luoshi.ledger import selectors, services
from luoshi.ledger.choices import active_unit_choices
from luoshi.ledger.filters import LIGHT_CHOICES, TaskFilter
from luoshi.ledger.models import Assignment, MatterEvent
from luoshi.ledger.states import AssignmentStatus

PER_PAGE = 30


class _Paginator(Paginator):
    """A paginator told its count when it is known without counting the rows."""

    def __init__(self, object_list: Any, per_page: int, count: int | None) -> None:
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:
        return self.known if self.known is not None else super().count


def _tallied(request: AuthedRequest, chosen: TaskFilter) -> int | None:
    """The list's count from the kept tallies (``workbench.tally``): for a user who sees
    every task, filtered by status and light alone (counting a province's million tasks
    takes longer than the whole page may)."""
    from luoshi.workbench import tally

    if replace(chosen, status="", light="") != TaskFilter() or not selectors.covers_every_unit(
        request.user, selectors.OVERSIGHT
    ):
        return None
    lights = [chosen.light] if chosen.light else None
    if chosen.status:
        return tally.read().total(statuses=[chosen.status], lights=lights)
    return tally.read().total(lights=lights, but_status=AssignmentStatus.DRAFT)


class _Window:
    """The ids of a UNION of task keys (id, due_date) in deadline order, for ``Paginator``:
    a page is read with the total beside it (``COUNT(*) OVER ()``), so that counting and
    paging pass over the union once. The requested page is read before the paginator asks
    (``prefetch``); a page out of range costs a count and a second read, as it would."""

    def __init__(self, union: QuerySet[Any]) -> None:
        self.sql, self.params = union.query.sql_with_params()
        self.total: int | None = None
        self.read: dict[int, list[int]] = {}

    def prefetch(self, number: Any) -> None:
        try:
            offset = (int(number or 1) - 1) * PER_PAGE
        except (TypeError, ValueError):
            offset = 0
        if offset >= 0:
            self._fetch(offset)

    def _fetch(self, offset: int) -> list[int]:
        with connection.cursor() as c:
            c.execute(
                f"SELECT id, COUNT(*) OVER () FROM ({self.sql}) AS t "  # noqa: S608 - ORM SQL
                "ORDER BY due_date, id LIMIT %s OFFSET %s",
                [*self.params, PER_PAGE, offset],
            )
            rows = c.fetchall()
        if rows:
            self.total = rows[0][1]
        self.read[offset] = [pk for pk, _total in rows]
        return self.read[offset]

    def count(self) -> int:
        if self.total is None:
            with connection.cursor() as c:
                c.execute(f"SELECT COUNT(*) FROM ({self.sql}) AS t", self.params)  # noqa: S608
                self.total = c.fetchone()[0]
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[int]:
        start = part.start or 0
        rows = self.read.get(start)
        if rows is None:
            rows = self._fetch(start)
        return rows[: part.stop - start]


def _task_page(request: AuthedRequest, chosen: TaskFilter) -> Page[Any]:
    """One page of the tasks the user may see under ``chosen``, by deadline. A unit's tasks
    are those it leads and those it co-operates on: each part is filtered on its own index
    and the page is cut from their UNION by id and deadline alone, in one pass with the
    count, so that only its 30 rows are read in full (an OR over both would read every
    task of the unit, twice)."""
    today = timezone.localdate()
    parts = selectors.unit_assignment_parts(request.user)
    number = request.GET.get("page")
    if parts is None:
        qs = chosen.apply(selectors.assignment_queryset_for(request.user), today)
        qs = qs.select_related("matter", "lead_unit").order_by("due_date", "id")
        return _Paginator(qs, PER_PAGE, _tallied(request, chosen)).get_page(number)
    lead, co = (chosen.apply(part, today).order_by().values("id", "due_date") for part in parts)
    window = _Window(lead.union(co))
    window.prefetch(number)
    page: Page[Any] = Paginator(cast(Any, window), PER_PAGE).get_page(number)
    rows = Assignment.objects.filter(pk__in=list(page.object_list))
    rows = rows.select_related("matter", "lead_unit")
    page.object_list = list(rows.order_by("due_date", "id"))
    return page


@login_required
def assignment_list(request: AuthedRequest) -> HttpResponse:
    chosen = TaskFilter.from_query(request.GET)
    page = _task_page(request, chosen)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/assignment_list.html",
        {"page": page, "status": chosen.status, "statuses": AssignmentStatus.choices,
         "filter": chosen, "lights": LIGHT_CHOICES, "query": query.urlencode()},
    )  # fmt: skip


@login_required
def assignment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return render_task(request, selectors.assignment_get_for_user(request.user, pk))


def render_task(
    request: AuthedRequest,
    assignment: Assignment,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The task page; the follow-through views call it again with a refused form bound."""
    from luoshi.followup.views_task import task_context

    matter = assignment.matter
    user = request.user
    is_office = access.covers(user, services.OFFICE_ROLES, matter.office)
    is_lead = assignment.lead_unit is not None and access.covers(
        user, services.UNIT_ROLES, assignment.lead_unit
    )
    co_units = list(assignment.co_units.select_related("unit", "signed_by"))
    my_co = [
        co
        for co in co_units
        if co.signed_at is None and access.covers(user, services.UNIT_ROLES, co.unit)
    ]
    events = (
        MatterEvent.objects.filter(assignment=assignment)
        .select_related("actor")
        .order_by("at", "id")
    )
    return render(
        request,
        "ledger/assignment_detail.html",
        {
            "a": assignment,
            "matter": matter,
            "is_office": is_office,
            "is_lead": is_lead,
            "my_co": my_co,
            "co_units": co_units,
            "milestones": assignment.milestones.all(),
            "events": events,
            "unit_choices": active_unit_choices() if is_office else [],
            **task_context(request, assignment, bound),
        },
        status=status,
    )


@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    return render(request, "ledger/my_work.html", {"work": selectors.my_work(request.user)})
