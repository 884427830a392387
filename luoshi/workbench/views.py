from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import Role
from luoshi.core.decorators import role_required
from luoshi.core.navigation import LIGHT_READERS
from luoshi.core.types import AuthedRequest
from luoshi.ledger.filters import for_listing
from luoshi.workbench import lights
from luoshi.workbench.selectors import cards_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = access.roles_of(request.user)
    role_labels = [str(label) for value, label in Role.choices if value in roles]
    return render(
        request,
        "workbench/home.html",
        {"cards": cards_for(request.user), "role_labels": role_labels},
    )


@role_required(LIGHT_READERS)
def lights_by_unit(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    rows, total = lights.unit_rows(request.user, today)
    return render(
        request,
        "workbench/lights.html",
        {"rows": rows, "rows_html": lights.rows_html(rows), "total": total, "today": today},
    )


@role_required({Role.LEADER})
def my_matters(request: AuthedRequest) -> HttpResponse:
    """我分管的事项 (or, with ?scope=all, every matter the leader decides on), red first."""
    whole = request.GET.get("scope") == "all"
    qs = lights.leader_matters(request.user, whole_scope=whole)
    counts = lights.light_counts(qs)
    page = Paginator(for_listing(qs), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/my_matters.html",
        {"page": page, "counts": counts, "total": sum(counts.values()), "whole": whole},
    )
