"""What the matter page's closing panel (呈报, 销号, 续办, 归档, 年终评估, 撤销) needs for
this user: the forms he may use now, a refused one bound with its errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from luoshi.accounts import access
from luoshi.followup.forms import CommentForm, ContinueForm, YearReviewForm
from luoshi.followup.services.closing import year_review_due
from luoshi.ledger.models import Matter
from luoshi.ledger.services import CANCEL_WITHOUT_LEADER, OFFICE_ROLES, can_approve
from luoshi.ledger.states import FINISHED_MATTER_STATES
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M

REVIEWABLE = {M.ASSIGNED, M.IN_PROGRESS}


def continue_choices(matter: Matter) -> list[tuple[int, str]]:
    done = matter.assignments.filter(status=A.COMPLETED).select_related("lead_unit")
    return [
        (a.pk, f"{a.lead_unit.name if a.lead_unit else '—'}：{a.task[:40]}")
        for a in done.order_by("id")
    ]


def context(
    user: Any, matter: Matter, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    office = access.covers(user, OFFICE_ROLES, matter.office)
    leader = can_approve(user, matter)
    live = matter.status not in FINISHED_MATTER_STATES
    panel: dict[str, Any] = {
        "read_only": matter.status == M.ARCHIVED,
        "cancel_pending": live and matter.cancel_requested_at is not None,
        "cancel_needs_leader": matter.status not in CANCEL_WITHOUT_LEADER,
        "can_decide_cancel": live and leader and matter.cancel_requested_at is not None,
        "can_archive": office and matter.status == M.CLOSED,
    }
    if office and matter.status == M.VERIFIED:
        panel["report_form"] = bound.get("report") or CommentForm(
            prefix="report", label="呈报说明（可不填）"
        )
    if leader and matter.status == M.REPORTED:
        panel["close_form"] = bound.get("close") or CommentForm(
            prefix="close", label="销号意见（可不填）"
        )
        panel["continue_form"] = bound.get("continue") or ContinueForm(
            prefix="cont", choices=continue_choices(matter)
        )
    if office and matter.long_term and matter.status in REVIEWABLE:
        panel["year_review_form"] = bound.get("year_review") or YearReviewForm(prefix="review")
        panel["year_review_due"] = year_review_due(matter, timezone.localdate())
    panel["any_action"] = any(
        panel.get(k)
        for k in ("can_decide_cancel", "can_archive", "report_form", "close_form",
                  "year_review_form")
    )  # fmt: skip
    return {"closing": panel}
