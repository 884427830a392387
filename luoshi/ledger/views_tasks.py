"""Assignment pages: the unit's task list, one task, and each role's 我的待办."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from luoshi.accounts import access
from luoshi.core.types import AuthedRequest
from luoshi.ledger import selectors, services
from luoshi.ledger.choices import active_unit_choices
from luoshi.ledger.models import Assignment, MatterEvent
from luoshi.ledger.states import AssignmentStatus


@login_required
def assignment_list(request: AuthedRequest) -> HttpResponse:
    from django.utils import timezone

    from luoshi.ledger.filters import LIGHT_CHOICES, TaskFilter

    chosen = TaskFilter.from_query(request.GET)
    qs = chosen.apply(selectors.assignment_queryset_for(request.user), timezone.localdate())
    qs = qs.select_related("matter", "lead_unit")
    page = Paginator(qs.order_by("due_date", "id"), 30).get_page(request.GET.get("page"))
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
