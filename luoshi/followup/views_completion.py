"""申请办结 and 核查 from the task page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from luoshi.core.types import AuthedRequest
from luoshi.followup.forms import CompletionForm, VerifyForm
from luoshi.followup.services import closing
from luoshi.followup.views_common import act
from luoshi.ledger.selectors import assignment_get_for_user


@require_POST
@login_required
def completion_request(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assignment_get_for_user(request.user, pk)
    form = CompletionForm(request.POST, request.FILES, prefix="done")
    return act(
        request, a, "completion", form,
        lambda d: closing.request_completion(request.user, a, d["result"], d["files"]),
        "已申请办结，等待督查室核查。", "completion",
    )  # fmt: skip


@require_POST
@login_required
def verify(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assignment_get_for_user(request.user, pk)
    form = VerifyForm(request.POST, prefix="verify")
    accept = request.POST.get("decision") == "accept"

    def call(d: dict[str, Any]) -> None:
        closing.verify(
            request.user, a, accept=accept, comment=d["comment"], onsite_on=d["onsite_on"],
            onsite_by=d["onsite_by"], onsite_findings=d["onsite_findings"],
        )  # fmt: skip

    done = "核查通过，任务已办结。" if accept else "已退回承办单位继续办理。"
    return act(request, a, "verify", form, call, done, "completion")
