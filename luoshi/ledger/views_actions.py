"""State changes from buttons on the matter and assignment pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.core.types import AuthedRequest
from luoshi.ledger import selectors, services
from luoshi.ledger.models import CoUnit
from luoshi.ledger.states import MatterStatus
from luoshi.org.models import Unit

MATTER_DONE = {
    "submit": "已提交审批。",
    "approve": "已审批立项。",
    "reject": "已退回修改。",
    "assign": "已交办，等待承办单位签收。",
    "cancel": "已撤销该事项。",
    "cancel_approve": "已同意撤销，事项已撤销。",
    "cancel_refuse": "已不同意撤销，事项继续办理。",
}
# After an approved matter, 撤销 only asks: the leader decides.
CANCEL_REQUESTED = "已提交撤销申请，等待领导审批。"

ASSIGNMENT_ACTIONS: dict[str, tuple[Callable[..., Any], bool, str]] = {
    "sign": (services.assignment_sign, False, "已签收。"),
    "return": (services.assignment_return, True, "已退回督查室。"),
    "overrule": (services.assignment_overrule, True, "已不同意退回，原单位须签收。"),
}


@require_POST
@login_required
def matter_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action not in services.MATTER_TRANSITIONS_BY_ACTION:
        raise Http404
    matter = selectors.matter_get_for_user(request.user, pk)
    service, with_comment = services.MATTER_TRANSITIONS_BY_ACTION[action]
    args = [request.POST.get("comment", "")] if with_comment else []
    try:
        matter = service(request.user, matter, *args)
    except NotPermitted as exc:  # a refusal of the user, not of the matter's state: 403
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        cancelled = matter.status == MatterStatus.CANCELLED
        done = CANCEL_REQUESTED if action == "cancel" and not cancelled else MATTER_DONE[action]
        messages.success(request, done)
    return redirect("ledger:matter", pk=matter.pk)


@require_POST
@login_required
def assignment_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(request.user, pk)
    comment = request.POST.get("comment", "")
    try:
        if action in ASSIGNMENT_ACTIONS:
            service, with_comment, done = ASSIGNMENT_ACTIONS[action]
            service(request.user, assignment, *([comment] if with_comment else []))
        elif action in ("reassign", "extend"):
            unit = Unit.objects.filter(pk=_int(request.POST.get("unit"))).first()
            if unit is None:
                raise ServiceError("请选择单位。", field="unit")
            if action == "reassign":
                services.assignment_reassign(request.user, assignment, unit, comment)
                done = f"已改由“{unit.name}”承办。"
            else:
                services.assignment_extend(request.user, assignment, unit, comment)
                done = f"已将“{unit.name}”纳入延伸督查。"
        elif action == "co_sign":
            co = CoUnit.objects.filter(
                pk=_int(request.POST.get("co_unit")), assignment=assignment
            ).first()
            if co is None:
                raise Http404
            services.co_unit_sign(request.user, co)
            done = f"“{co.unit.name}”已签收配合任务。"
        else:
            raise Http404
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("ledger:assignment", pk=assignment.pk)


def _int(value: str | None) -> int:
    """A posted id, or 0 (which matches nothing) when it is not a number."""
    try:
        return int(value or "")
    except ValueError:
        return 0
