"""Assignment pages: the unit's task list, one task, and each role's 我的待办."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from luoshi.accounts import access
from luoshi.core.types import AuthedRequest
from luoshi.ledger import selectors, services
from luoshi.ledger.choices import active_unit_choices
from luoshi.ledger.models import MatterEvent
from luoshi.ledger.states import AssignmentStatus


@login_required
def assignment_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = selectors.assignment_queryset_for(request.user).select_related("matter", "lead_unit")
    if status in AssignmentStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=AssignmentStatus.DRAFT)
    page = Paginator(qs.order_by("due_date", "id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/assignment_list.html",
        {"page": page, "status": status, "statuses": AssignmentStatus.choices},
    )


@login_required
def assignment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(request.user, pk)
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
        },
    )


@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    return render(request, "ledger/my_work.html", {"work": selectors.my_work(request.user)})
