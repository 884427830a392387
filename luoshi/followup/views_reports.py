"""办理情况反馈 from the task page: submit, resubmit, the head's approval, the office's
decision, and the lead unit sending a co-unit's part back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST

from luoshi.core.types import AuthedRequest
from luoshi.followup import selectors
from luoshi.followup.forms import RETURN_OPINION, REVIEW_OPINION, CommentForm, ReportForm
from luoshi.followup.models import ProgressReport
from luoshi.followup.services import reports
from luoshi.followup.services.common import is_lead
from luoshi.followup.views_common import act
from luoshi.ledger.selectors import assignment_get_for_user


@require_POST
@login_required
def report_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assignment_get_for_user(request.user, pk)
    lead = is_lead(request.user, a)
    form = ReportForm(request.POST, request.FILES, prefix="report", assignment=a, lead=lead)
    done = "已报送办理情况。" if lead else "已将配合材料报送牵头单位。"
    return act(
        request, a, "report", form,
        lambda d: reports.report_submit(request.user, a, **_report_data(d)), done, "reports",
    )  # fmt: skip


@require_POST
@login_required
def report_resubmit(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(request.user, pk)
    a = report.assignment
    form = ReportForm(
        request.POST, request.FILES, prefix=f"re{report.pk}", assignment=a,
        lead=report.kind == ProgressReport.LEAD,
    )  # fmt: skip
    return act(
        request, a, f"resubmit-{report.pk}", form,
        lambda d: reports.report_resubmit(request.user, report, **_report_data(d)),
        "已修改并重新报送。", "reports",
    )  # fmt: skip


# action → (form key, service, message when done)
DECISIONS: dict[str, tuple[str, Callable[..., Any], str]] = {
    "approve": ("head", reports.report_head_approve, "已审核通过，报送督查室。"),
    "head-return": ("head", reports.report_return, "已退回本单位联络员修改。"),
    "accept": ("review", reports.report_accept, "已采纳该办理情况。"),
    "return": ("review", reports.report_return, "已退回，请承办单位修改后重新报送。"),
    "co-return": ("coreturn", reports.report_return, "已将配合材料退回配合单位。"),
}


@require_POST
@login_required
def report_decide(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action not in DECISIONS:
        raise Http404
    key, service, done = DECISIONS[action]
    report = selectors.report_get_for_user(request.user, pk)
    label = RETURN_OPINION if key == "coreturn" else REVIEW_OPINION
    form = CommentForm(request.POST, prefix=f"r{report.pk}", label=label)
    return act(
        request, report.assignment, f"{key}-{report.pk}", form,
        lambda d: service(request.user, report, d["comment"]), done, f"report-{report.pk}",
    )  # fmt: skip


def _report_data(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": d.get("text", ""),
        "progress": d.get("progress", ""),
        "indicator_value": d.get("indicator_value"),
        "milestones": d.get("milestones") or [],
        "files": d.get("files") or [],
    }
