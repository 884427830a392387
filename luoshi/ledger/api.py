"""REST API over the ledger services: the same scoping, filters and rules as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.accounts.models import User
from luoshi.core.errors import ServiceError
from luoshi.ledger import filters, selectors, services
from luoshi.ledger.choices import active_unit_choices, leader_by_pk, leader_choices
from luoshi.ledger.forms import FilterForm
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.serializers import (
    AssignmentSerializer,
    AssignmentWriteSerializer,
    CommentSerializer,
    MatterListSerializer,
    MatterSerializer,
    MatterWriteSerializer,
    UnitCommentSerializer,
)
from luoshi.org.models import Unit

FILTER_NAMES = (
    "year", "source", "category", "priority", "status", "lead_unit", "co_unit",
    "leader", "due_from", "due_to", "q", "sort",
)  # fmt: skip
FILTER_PARAMS = [OpenApiParameter(name, str, required=False) for name in FILTER_NAMES]


def _unit(pk: Any) -> Unit:
    unit = Unit.objects.filter(pk=pk, is_active=True).first()
    if unit is None:
        raise ServiceError("单位不存在或已停用。", field="unit")
    return unit


def _precondition(request: Request, matter: Matter) -> int:
    """If-Match carries the version the client read; a mismatch is 412, a missing one 428."""
    raw = request.headers.get("If-Match", "").strip().strip("W/").strip('"')
    if not raw:
        raise _Http(428, "precondition_required", "修改事项须在 If-Match 头中带上读取时的 ETag。")
    if raw != str(matter.version):
        raise _Http(412, "precondition_failed", "该事项已被他人修改，请重新读取后再提交。")
    return matter.version


class _Http(Exception):
    def __init__(self, status_code: int, code: str, detail: str) -> None:
        self.status_code, self.code, self.detail = status_code, code, detail


def _etag(response: Response, matter: Matter) -> Response:
    response["ETag"] = f'"{matter.version}"'
    return response


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

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _Http):
            return Response({"detail": exc.detail, "code": exc.code}, status=exc.status_code)
        return super().handle_exception(exc)

    @extend_schema(parameters=FILTER_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        matter = self.get_object()
        return _etag(Response(MatterSerializer(matter, context={"request": request}).data), matter)

    def _write_data(self, request: Request) -> dict[str, Any]:
        ser = MatterWriteSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        if "supervising_leader" in data:
            data["supervising_leader"] = leader_by_pk(data["supervising_leader"])
        return data

    @extend_schema(request=MatterWriteSerializer, responses=MatterSerializer)
    def create(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated ran before
        matter = services.matter_create(user, office=user.unit, **self._write_data(request))
        body = MatterSerializer(matter, context={"request": request}).data
        return _etag(Response(body, status=status.HTTP_201_CREATED), matter)

    @extend_schema(request=MatterWriteSerializer, responses=MatterSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        version = _precondition(request, matter)
        matter = services.matter_update(request.user, matter, version, **self._write_data(request))
        return _etag(Response(MatterSerializer(matter, context={"request": request}).data), matter)

    def _transition(self, request: Request, name: str) -> Response:
        matter = self.get_object()
        ser = CommentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        service, with_comment = services.MATTER_TRANSITIONS_BY_ACTION[name]
        args = [ser.validated_data["comment"]] if with_comment else []
        matter = service(request.user, matter, *args)
        matter.refresh_from_db()
        return _etag(Response(MatterSerializer(matter, context={"request": request}).data), matter)

    @extend_schema(request=CommentSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "submit")

    @extend_schema(request=CommentSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "approve")

    @extend_schema(request=CommentSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "reject")

    @extend_schema(request=CommentSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "assign")

    @extend_schema(request=CommentSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "cancel")

    @extend_schema(request=AssignmentWriteSerializer, responses=AssignmentSerializer)
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
        status_ = self.request.query_params.get("status")
        return qs.filter(status=status_) if status_ else qs

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

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        services.assignment_sign(request.user, assignment)
        return self._done(assignment)

    @extend_schema(request=CommentSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        services.assignment_return(request.user, assignment, self._comment(request))
        return self._done(assignment)

    @extend_schema(request=UnitCommentSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        unit, comment = self._unit_comment(request)
        services.assignment_reassign(request.user, assignment, unit, comment)
        return self._done(assignment)

    @extend_schema(request=CommentSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def overrule(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        services.assignment_overrule(request.user, assignment, self._comment(request))
        return self._done(assignment)

    @extend_schema(request=UnitCommentSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        unit, comment = self._unit_comment(request)
        services.assignment_extend(request.user, assignment, unit, comment)
        return self._done(assignment)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="co-sign")
    def co_sign(self, request: Request, pk: str | None = None) -> Response:
        from luoshi.accounts import access

        assignment = self.get_object()
        mine = [
            c
            for c in assignment.co_units.all()
            if access.covers(request.user, services.UNIT_ROLES, c.unit)
        ]
        if not mine:
            raise NotFound("您的单位不是该任务的配合单位。")
        services.co_unit_sign(request.user, mine[0])
        return self._done(assignment)
