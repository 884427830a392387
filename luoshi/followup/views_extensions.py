"""延期申请 from the task page: the lead unit asks or withdraws; the office, then the
leader, decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST

from luoshi.core.types import AuthedRequest
from luoshi.followup import selectors
from luoshi.followup.forms import DECISION_OPINION, CommentForm, ExtensionForm
from luoshi.followup.models import ExtensionRequest
from luoshi.followup.services import extensions
from luoshi.followup.states import ExtensionStatus as X
from luoshi.followup.views_common import act
from luoshi.ledger.selectors import assignment_get_for_user


@require_POST
@login_required
def extension_request(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assignment_get_for_user(request.user, pk)
    form = ExtensionForm(request.POST, prefix="ext")
    return act(
        request, a, "extension", form,
        lambda d: extensions.extension_request(request.user, a, d["new_due"], d["reason"]),
        "已提交延期申请，等待督查室审核。", "extensions",
    )  # fmt: skip


def _approved(ext: ExtensionRequest) -> str:
    if ext.status == X.PENDING_LEADER:
        return "已同意延期，报分管领导审批。"
    d = ext.new_due
    return f"已批准延期，完成时限改为{d.year}年{d.month}月{d.day}日。"


@require_POST
@login_required
def extension_decide(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    ext = selectors.extension_get_for_user(request.user, pk)
    user = request.user
    form = CommentForm(request.POST, prefix=f"x{ext.pk}", label=DECISION_OPINION)
    key = f"ext-{ext.pk}"
    if action == "approve":
        return act(
            request, ext.assignment, key, form,
            lambda d: extensions.extension_approve(user, ext, d["comment"]),
            lambda: _approved(ext), "extensions",
        )  # fmt: skip
    if action == "reject":
        return act(
            request, ext.assignment, key, form,
            lambda d: extensions.extension_reject(user, ext, d["comment"]),
            "已不同意延期，完成时限不变。", "extensions",
        )  # fmt: skip
    if action == "withdraw":
        return act(
            request, ext.assignment, key, form,
            lambda d: extensions.extension_withdraw(user, ext), "已撤回延期申请。", "extensions",
        )  # fmt: skip
    raise Http404
