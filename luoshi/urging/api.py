"""REST API for 催办单 / 督办通知 over the same services as the pages: a notice the user
cannot see is a 404; the services decide who may act (403) and what is allowed (400, 409)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.core.errors import ServiceError
from luoshi.followup.api import ID, valid
from luoshi.ledger.selectors import assignment_get_for_user
from luoshi.org.models import Unit
from luoshi.urging import selectors, services
from luoshi.urging.models import UrgingNotice
from luoshi.urging.serializers import (
    UrgingAcceptSerializer,
    UrgingCancelSerializer,
    UrgingCreateSerializer,
    UrgingReplySerializer,
    UrgingReturnSerializer,
    UrgingSerializer,
)
from luoshi.urging.states import UrgingKind, UrgingStatus

STATUS_VALUES = [*UrgingStatus.values, "overdue"]
LIST_PARAMS = [
    OpenApiParameter(
        "status",
        str,
        enum=STATUS_VALUES,
        required=False,
        description="按状态筛选；overdue 为逾期未回复",
    ),
    OpenApiParameter(
        "kind",
        str,
        enum=UrgingKind.values,
        required=False,
        description="urge 催办单；notice 督办通知",
    ),
    OpenApiParameter("year", int, required=False, description="年度"),
    OpenApiParameter("unit", int, required=False, description="被催办单位 id"),
    OpenApiParameter("assignment", int, required=False, description="承办任务 id"),
]


def _number(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ServiceError(f"参数 {name} 须为数字。", field=name)
    return int(raw)


class UrgingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """催办单、督办通知：列表、发出（督查室）、读取、回复（被催办单位）、办结、退回、撤回。"""

    serializer_class = UrgingSerializer
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[UrgingNotice]:
        qs = selectors.notice_queryset_for(self.request.user)
        if self.action == "list":
            qs = self._filtered(qs)
        return qs.select_related(
            "office", "matter", "unit", "issued_by", "replied_by", "reviewed_by", "read_by"
        ).order_by("-issued_at", "-id")

    def _filtered(self, qs: QuerySet[UrgingNotice]) -> QuerySet[UrgingNotice]:
        request = self.request
        status = request.query_params.get("status", "").strip()
        if status == "overdue":
            qs = qs.filter(selectors.overdue_q(timezone.localdate()))
        elif status:
            if status not in UrgingStatus.values:
                raise ServiceError("状态无效。", field="status")
            qs = qs.filter(status=status)
        kind = request.query_params.get("kind", "").strip()
        if kind:
            if kind not in UrgingKind.values:
                raise ServiceError("类型只能是 urge（催办单）或 notice（督办通知）。", field="kind")
            qs = qs.filter(kind=kind)
        for name, lookup in (
            ("year", "year"),
            ("unit", "unit_id"),
            ("assignment", "assignment_id"),
        ):
            value = _number(request, name)
            if value is not None:
                qs = qs.filter(**{lookup: value})
        return qs

    def get_object(self) -> UrgingNotice:
        notice = selectors.notice_get_for_user(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, notice)
        return notice

    def _respond(self, notice: UrgingNotice, code: int = 200) -> Response:
        fresh = selectors.notice_get_for_user(self.request.user, notice.pk)
        return Response(
            UrgingSerializer(fresh, context={"request": self.request}).data, status=code
        )

    @extend_schema(
        parameters=LIST_PARAMS,
        summary="催办督办列表",
        description="督查室、领导、观察员看到所辖督查机构的催办；承办单位只看到发给本单位的。",
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="读取催办单", description="被催办单位的人员首次读取时记为签阅。")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        notice = self.get_object()
        services.mark_read(request.user, notice)
        return self._respond(notice)

    @extend_schema(
        request=UrgingCreateSerializer,
        responses={201: UrgingSerializer},
        summary="发出催办单或督办通知",
        description="督查室对已交办、未办结任务的牵头单位或配合单位发出，按督查机构、类型和年度"
        "编号（催办〔年〕第N号、督办〔年〕第N号），并通知该单位的联络员和负责人。",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid(UrgingCreateSerializer, request)
        assignment = assignment_get_for_user(request.user, data["assignment"])
        unit = Unit.objects.filter(pk=data["unit"]).first()
        notice = services.urging_issue(
            request.user,
            assignment,
            unit=unit,
            text=data["text"],
            reply_due=data["reply_due"],
            kind=data["kind"],
        )
        return self._respond(notice, 201)

    @extend_schema(
        request=UrgingReplySerializer,
        responses=UrgingSerializer,
        summary="回复催办",
        description="被催办单位的联络员或负责人回复（至少 10 个字）；超过回复时限的记为逾期回复。",
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        data = valid(UrgingReplySerializer, request)
        services.urging_reply(request.user, notice, data["text"], data["version"])
        return self._respond(notice)

    @extend_schema(
        request=UrgingAcceptSerializer,
        responses=UrgingSerializer,
        summary="催办办结",
        description="督查室确认已回复的催办，该催办办结。",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        data = valid(UrgingAcceptSerializer, request)
        services.urging_accept(request.user, notice, data["comment"], data["version"])
        return self._respond(notice)

    @extend_schema(
        request=UrgingReturnSerializer,
        responses=UrgingSerializer,
        summary="退回催办回复",
        description="督查室退回不符合要求的回复（意见至少 5 个字），并给出重新回复的时限"
        "（不填为 3 个工作日后）。",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_reply(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        data = valid(UrgingReturnSerializer, request)
        services.urging_return(
            request.user, notice, data["comment"], data["reply_due"], data["version"]
        )
        return self._respond(notice)

    @extend_schema(
        request=UrgingCancelSerializer,
        responses=UrgingSerializer,
        summary="撤回催办",
        description="督查室撤回尚未回复（或被退回）的催办，须写明原因（至少 5 个字）。",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        data = valid(UrgingCancelSerializer, request)
        services.urging_cancel(request.user, notice, data["reason"], data["version"])
        return self._respond(notice)
