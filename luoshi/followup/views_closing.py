"""The matter page's closing actions: 呈报 (office), 销号 / 续办 (leader), 归档 (office),
and the year-end review of a long-term matter (office)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.core.types import AuthedRequest
from luoshi.followup import panel_closing
from luoshi.followup.forms import CommentForm, ContinueForm, YearReviewForm
from luoshi.followup.services import closing
from luoshi.followup.views_common import run_form
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.selectors import matter_get_for_user


def _continue(user: Any, matter: Matter, d: dict[str, Any]) -> None:
    chosen = list(Assignment.objects.filter(matter=matter, pk__in=d["assignments"]))
    closing.continue_work(
        user, matter, requirement=d["requirement"], due_date=d["due_date"],
        assignments=chosen or None,
    )  # fmt: skip


# action → (form key, the form, the service call, message when done)
ACTIONS: dict[str, tuple[str, Callable[..., forms.Form], Callable[..., Any], str]] = {
    "report": (
        "report",
        lambda m, data: CommentForm(data, prefix="report"),
        lambda u, m, d: closing.report_to_leader(u, m, d["comment"]),
        "已呈报分管领导。",
    ),
    "close": (
        "close",
        lambda m, data: CommentForm(data, prefix="close"),
        lambda u, m, d: closing.close(u, m, d["comment"]),
        "已销号。",
    ),
    "continue": (
        "continue",
        lambda m, data: ContinueForm(
            data, prefix="cont", choices=panel_closing.continue_choices(m)
        ),
        _continue,
        "已批示续办，任务重新进入办理。",
    ),
    "archive": (
        "archive",
        lambda m, data: forms.Form(data),
        lambda u, m, d: closing.archive(u, m),
        "已归档，事项转为只读。",
    ),
    "year-review": (
        "year_review",
        lambda m, data: YearReviewForm(data, prefix="review"),
        lambda u, m, d: closing.year_review(u, m, d["comment"], d["next_due"]),
        "已记录年终评估。",
    ),
}


@require_POST
@login_required
def matter_closing(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    key, make_form, service, done = ACTIONS[action]
    matter = matter_get_for_user(request.user, pk)
    form = make_form(matter, request.POST)
    status = run_form(request, form, lambda data: service(request.user, matter, data), done)
    if status is None:
        return redirect("ledger:matter", pk=matter.pk)
    from luoshi.ledger.views import matter_context

    matter.refresh_from_db()
    bound = {key: form}
    context = matter_context(request, matter, **panel_closing.context(request.user, matter, bound))
    if key not in _shown(context["closing"]):
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    return render(request, "ledger/matter_detail.html", context, status=status)


def _shown(panel: dict[str, Any]) -> set[str]:
    names = {"report_form": "report", "close_form": "close", "continue_form": "continue",
             "year_review_form": "year_review"}  # fmt: skip
    return {key for attr, key in names.items() if panel.get(attr)}
