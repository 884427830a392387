"""REST API over the ledger services: the same scoping, filters and rules as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.accounts.models import User
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.ledger import filters, selectors, services
from luoshi.ledger.choices import active_unit_choices, leader_by_pk, leader_choices
from luoshi.ledger.forms import FilterForm
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.serializers import (
    AssignmentSerializer,
    AssignmentWriteSerializer,
    CancelSerializer,
    CommentSerializer,
    MatterListSerializer,
    MatterSerializer,
    MatterWriteSerializer,
    UnitCommentSerializer,
)
from luoshi.ledger.states import AssignmentStatus, Light
from luoshi.org.models import Unit

FILTER_NAMES = (
    "year", "source", "category", "priority", "status", "lead_unit", "co_unit",
    "leader", "due_from", "due_to", "q", "sort", "light",
)  # fmt: skip
LIGHTS = [value for value in Light.values if value]
LIGHT_PARAM = OpenApiParameter(
    "light", str, enum=LIGHTS, required=False, description="按红黄绿灯筛选：green、yellow、red"
)
FILTER_PARAMS = [
    *(OpenApiParameter(name, str, required=False) for name in FILTER_NAMES if name != "light"),
    LIGHT_PARAM,
]
ASSIGNMENT_PARAMS = [
    OpenApiParameter(
        "status", str, enum=AssignmentStatus.values, required=False, description="按任务状态筛选"
    ),
    LIGHT_PARAM,
]


def light_param(request: Request) -> str:
    """The ``light`` query parameter, checked: an unknown light is a 400, not an empty list."""
    light = request.query_params.get("light", "").strip()
    if light and light not in LIGHTS:
        raise ServiceError(
            "红黄绿灯只能是 green（绿灯）、yellow（黄灯）或 red（红灯）。", field="light"
        )
    return light


def _unit(pk: Any) -> Unit:
    unit = Unit.objects.filter(pk=pk, is_active=True).first()
    if unit is None:
        raise ServiceError("单位不存在或已停用。", field="unit")
    return unit


class PreconditionError(ServiceError):
    """A conditional request whose If-Match does not hold (412) or is missing (428)."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status_code, code


def _if_match(request: Request) -> str:
    return request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')


def precondition(request: Request, matter: Matter, *, required: bool = True) -> int:
    """If-Match carries the version the client read; a mismatch is 412, a missing one 428
    (actions may leave it out: they check the matter's state themselves)."""
    raw = _if_match(request)
    if not raw and required:
        raise PreconditionError(
            428, "precondition_required", "修改事项须在 If-Match 头中带上读取时的 ETag。"
        )
    if raw and raw != str(matter.version):
        raise PreconditionError(
            412, "precondition_failed", "该事项已被他人修改，请重新读取后再提交。"
        )
    return matter.version


def with_etag(response: Response, matter: Matter) -> Response:
    response["ETag"] = f'"{matter.version}"'
    return response


def matter_response(request: Request, matter: Matter, status_code: int = 200) -> Response:
    """The matter after an action, as the user may see it, with its new ETag."""
    matter.refresh_from_db()
    body = MatterSerializer(matter, context={"request": request}).data
    return with_etag(Response(body, status=status_code), matter)


class MatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """督查事项: list with the ledger's filters, read, create, edit (If-Match), transitions."""

    serializer_class = MatterSerializer

    def get_queryset(self):
        qs = selectors.matter_queryset_for(self.request.user)
        if self.action == "list":
            form = FilterForm(self.request.query_params, unit_choices=active_unit_choices(),
                              leader_choices=leader_choices())  # fmt: skip
            if not form.is_valid():
                raise ValidationError(form.errors.get_json_data())
            qs = filters.ordered(
                filters.apply_filters(qs, form.cleaned_data), form.cleaned_data.get("sort")
            )
        return qs

    def get_serializer_class(self):
        return MatterListSerializer if self.action == "list" else MatterSerializer

    @extend_schema(
        parameters=FILTER_PARAMS,
        summary="事项台账",
        description="与台账页面相同的筛选条件和排序；light 按事项的红黄绿灯筛选。",
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="读取事项", description="响应头 ETag 为事项的版本，修改时放入 If-Match。"
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        matter = self.get_object()
        body = MatterSerializer(matter, context={"request": request}).data
        return with_etag(Response(body), matter)

    def _write_data(self, request: Request) -> dict[str, Any]:
        ser = MatterWriteSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        if "supervising_leader" in data:
            data["supervising_leader"] = leader_by_pk(data["supervising_leader"])
        return data

    @extend_schema(request=MatterWriteSerializer, responses=MatterSerializer, summary="新建事项")
    def create(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated ran before
        matter = services.matter_create(user, office=user.unit, **self._write_data(request))
        return matter_response(request, matter, status.HTTP_201_CREATED)

    @extend_schema(
        request=MatterWriteSerializer,
        responses=MatterSerializer,
        summary="修改事项",
        description="须在 If-Match 头中带上读取时的 ETag；他人已修改时返回 412。",
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        version = precondition(request, matter)
        matter = services.matter_update(request.user, matter, version, **self._write_data(request))
        return matter_response(request, matter)

    def _transition(self, request: Request, name: str) -> Response:
        matter = self.get_object()
        precondition(request, matter, required=False)
        ser = CommentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        service, with_comment = services.MATTER_TRANSITIONS_BY_ACTION[name]
        args = [ser.validated_data["comment"]] if with_comment else []
        matter = service(request.user, matter, *args)
        return matter_response(request, matter)

    @extend_schema(request=CommentSerializer, responses=MatterSerializer, summary="提交审批")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "submit")

    @extend_schema(request=CommentSerializer, responses=MatterSerializer, summary="领导批准立项")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "approve")

    @extend_schema(
        request=CommentSerializer, responses=MatterSerializer, summary="领导退回立项申请"
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "reject")

    @extend_schema(request=CommentSerializer, responses=MatterSerializer, summary="交办")
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "assign")

    @extend_schema(
        request=CancelSerializer,
        responses=MatterSerializer,
        summary="撤销事项",
        description="未经领导审批的事项（草稿、待审批）由督查室直接撤销；已立项的事项由督查室"
        "提出撤销申请（写明原因），待分管领导或主要领导审批；领导本人可直接撤销。",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        precondition(request, matter, required=False)
        ser = CancelSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        reason = ser.validated_data["reason"] or ser.validated_data["comment"]
        return matter_response(request, services.matter_cancel(request.user, matter, reason))

    @extend_schema(
        request=CommentSerializer,
        responses=MatterSerializer,
        summary="同意撤销",
        description="分管领导或主要领导同意督查室的撤销申请，事项及其任务变为已撤销。",
    )
    @action(detail=True, methods=["post"], url_path="cancel-approve")
    def cancel_approve(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "cancel_approve")

    @extend_schema(
        request=CommentSerializer,
        responses=MatterSerializer,
        summary="不同意撤销",
        description="领导不同意撤销申请（须写明意见），事项照常办理。",
    )
    @action(detail=True, methods=["post"], url_path="cancel-refuse")
    def cancel_refuse(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "cancel_refuse")

    @extend_schema(
        request=AssignmentWriteSerializer, responses=AssignmentSerializer, summary="添加承办任务"
    )
    @action(detail=True, methods=["post"], url_path="assignments")
    def add_assignment(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        ser = AssignmentWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        co_units = [_unit(u) for u in data.pop("co_units", [])]
        milestones = [(m["due_date"], m["deliverable"]) for m in data.pop("milestones", [])]
        data["lead_unit"] = _unit(data["lead_unit"])
        assignment = services.assignment_add(
            request.user, matter, co_units=co_units, milestones=milestones, **data
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """承办任务 in the user's scope, and the unit's and office's actions on them."""

    serializer_class = AssignmentSerializer

    def get_queryset(self):
        qs = selectors.assignment_queryset_for(self.request.user).select_related("lead_unit")
        qs = qs.prefetch_related("co_units__unit", "milestones").order_by("due_date", "id")
        if self.action != "list":
            return qs
        status_ = self.request.query_params.get("status", "").strip()
        if status_ and status_ not in AssignmentStatus.values:
            raise ServiceError("任务状态不正确。", field="status")
        light = light_param(self.request)
        qs = qs.filter(status=status_) if status_ else qs
        return qs.filter(light=light) if light else qs

    @extend_schema(
        parameters=ASSIGNMENT_PARAMS,
        summary="承办任务列表",
        description="本人可见的承办任务，可按状态和红黄绿灯筛选。",
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _done(self, assignment: Assignment) -> Response:
        assignment.refresh_from_db()
        return Response(AssignmentSerializer(assignment).data)

    def _comment(self, request: Request) -> str:
        ser = CommentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return str(ser.validated_data["comment"])

    def _unit_comment(self, request: Request) -> tuple[Unit, str]:
        ser = UnitCommentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _unit(ser.validated_data["unit"]), str(ser.validated_data["comment"])

    @extend_schema(request=None, responses=AssignmentSerializer, summary="签收任务")
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        services.assignment_sign(request.user, assignment)
        return self._done(assignment)

    @extend_schema(request=CommentSerializer, responses=AssignmentSerializer, summary="退回任务")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        services.assignment_return(request.user, assignment, self._comment(request))
        return self._done(assignment)

    @extend_schema(request=UnitCommentSerializer, responses=AssignmentSerializer, summary="改派")
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        unit, comment = self._unit_comment(request)
        services.assignment_reassign(request.user, assignment, unit, comment)
        return self._done(assignment)

    @extend_schema(
        request=CommentSerializer, responses=AssignmentSerializer, summary="不同意退回，维持交办"
    )
    @action(detail=True, methods=["post"])
    def overrule(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        services.assignment_overrule(request.user, assignment, self._comment(request))
        return self._done(assignment)

    @extend_schema(
        request=UnitCommentSerializer,
        responses=AssignmentSerializer,
        summary="延伸督查：增加配合单位",
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        unit, comment = self._unit_comment(request)
        services.assignment_extend(request.user, assignment, unit, comment)
        return self._done(assignment)

    @extend_schema(request=None, responses=AssignmentSerializer, summary="配合单位签收")
    @action(detail=True, methods=["post"], url_path="co-sign")
    def co_sign(self, request: Request, pk: str | None = None) -> Response:
        from luoshi.accounts import access

        assignment = self.get_object()
        mine = [
            c
            for c in assignment.co_units.all()
            if access.covers(request.user, services.UNIT_ROLES, c.unit)
        ]
        if not mine:  # the task is visible (else 404 above), the action is not the user's
            raise NotPermitted("您的单位不是该任务的配合单位。")
        services.co_unit_sign(request.user, mine[0])
        return self._done(assignment)
