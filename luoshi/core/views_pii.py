"""Revealing one masked phone number, for those allowed (``masking.may_see_phone``), each
time written to the audit log. The page answers htmx with the number in place and a plain
link with a small page, so it works without JavaScript; the API gives it as JSON."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.core import masking
from luoshi.core.forms import is_htmx
from luoshi.core.types import AuthedRequest

REFUSED = "您无权查看完整号码。"


def _assignment(user: Any, pk: int) -> Any:
    from luoshi.ledger.selectors import assignment_get_for_user

    return assignment_get_for_user(user, pk)


def _user(user: Any, pk: int) -> Any:
    from luoshi.accounts.selectors import user_get_for_manager

    return user if pk == user.pk else user_get_for_manager(user, pk)


# kind in the URL → (fetch scoped to the user (404 otherwise), label, whose, back link)
KINDS = {
    "assignment": (_assignment, "责任人", lambda a: a.responsible_person or "—",
                   lambda a: reverse("ledger:assignment", args=[a.pk])),
    "user": (_user, "用户", lambda u: u.display_name,
             lambda u: reverse("accounts:user_edit", args=[u.pk])),
}  # fmt: skip


@never_cache
@require_GET
@login_required
def reveal_phone(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("页面不存在")
    fetch, label, whose, back = KINDS[kind]
    obj = fetch(request.user, pk)
    if not masking.may_see_phone(request.user, obj):
        raise PermissionDenied(REFUSED)
    value = masking.reveal(request, obj)
    context = {"value": value, "label": label, "whose": whose(obj), "back": back(obj)}
    template = "core/_phone_revealed.html" if is_htmx(request) else "core/phone_revealed.html"
    return render(request, template, context)


@extend_schema(
    summary="查看责任人完整电话",
    description="任务列表和详情中的责任人电话是遮蔽的（138****5678）；督查室可由此取得完整号码，"
    "每次查看记入审计日志。看不到该任务为 404，无权查看为 403。",
    responses={
        200: inline_serializer("ResponsiblePhone", {"responsible_phone": serializers.CharField()}),
        403: OpenApiResponse(description="无权查看完整号码"),
        404: OpenApiResponse(description="任务不存在"),
    },
    tags=["assignments"],
)
@api_view(["GET"])
def assignment_phone(request: Request, pk: int) -> Response:
    assignment = _assignment(request.user, pk)
    if not masking.may_see_phone(request.user, assignment):
        raise ApiPermissionDenied(REFUSED)
    response = Response({"responsible_phone": masking.reveal(request, assignment)})
    response["Cache-Control"] = "no-store"
    return response
