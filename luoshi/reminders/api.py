"""REST API: the office's reminder rules (read by office staff, replaced by the office
admin) and its log of reminders fired."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.accounts import access
from luoshi.accounts.roles import OFFICE_ROLES
from luoshi.reminders import selectors
from luoshi.reminders.rules import Rule
from luoshi.reminders.serializers import (
    ReminderPolicySerializer,
    ReminderPolicyWriteSerializer,
    ReminderSerializer,
)
from luoshi.reminders.services import reminder_policy_set
from luoshi.reminders.sweep import policy_for


def _office(request: Request) -> Any:
    office = request.user.unit  # type: ignore[union-attr]
    if not access.covers(request.user, OFFICE_ROLES, office):
        raise PermissionDenied("只有督查室工作人员可以查看提醒规则和提醒记录。")
    return office


@extend_schema(methods=["GET"], responses=ReminderPolicySerializer, summary="本督查室的提醒规则")
@extend_schema(
    methods=["PUT"], request=ReminderPolicyWriteSerializer, responses=ReminderPolicySerializer,
    summary="修改提醒规则（督查室管理员）",
)  # fmt: skip
@api_view(["GET", "PUT"])
def reminder_policy(request: Request) -> Response:
    office = _office(request)
    if request.method == "PUT":
        incoming = ReminderPolicyWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        policy = reminder_policy_set(request.user, office, dict(incoming.validated_data))
    else:
        policy = policy_for(office)
    return Response(ReminderPolicySerializer(policy).data)


@extend_schema(
    parameters=[
        OpenApiParameter("day", OpenApiTypes.DATE, required=False, description="提醒日期"),
        OpenApiParameter("rule", OpenApiTypes.STR, enum=Rule.values, required=False),
        OpenApiParameter("q", OpenApiTypes.STR, required=False, description="关键词"),
    ],
    responses=ReminderSerializer(many=True),
    summary="提醒记录",
)
@api_view(["GET"])
def reminder_log(request: Request) -> Response:
    office = _office(request)
    raw = request.query_params.get("day", "")
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationError({"day": "日期格式应为 YYYY-MM-DD。"}) from None
    rule = request.query_params.get("rule", "")
    if rule and rule not in Rule.values:
        raise ValidationError({"rule": "没有这条提醒规则。"})
    qs = selectors.office_log(office, day=day, rule=rule, q=request.query_params.get("q", ""))
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(qs, request)
    return paginator.get_paginated_response(ReminderSerializer(page, many=True).data)
