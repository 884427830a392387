"""REST API for the follow-through on one task: its progress reports, extension requests,
completion requests and 核查, and every deadline it had. Scoped like the pages: a task the
user cannot see is a 404; the services decide who may act (403) and what is allowed (400)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.followup import selectors
from luoshi.followup.models import ExtensionRequest, ProgressReport
from luoshi.followup.serializers import (
    CompletionSerializer,
    CompletionWriteSerializer,
    DeadlinesSerializer,
    ExtensionSerializer,
    ExtensionWriteSerializer,
    ReportSerializer,
    ReportWriteSerializer,
    VerifySerializer,
    deadline_rows,
)
from luoshi.followup.services import closing, extensions, reports
from luoshi.ledger.models import Assignment
from luoshi.ledger.selectors import assignment_queryset_for
from luoshi.ledger.serializers import AssignmentSerializer

UPLOAD_PARSERS = [MultiPartParser, FormParser, JSONParser]
# Ids are numbers: anything else is not found at all, rather than an error in a lookup.
ID = r"[0-9]+"


def uploaded_files(request: Request) -> list[Any]:
    """Files sent as ``files`` or ``files[]`` (both spellings are common in form clients)."""
    return [*request.FILES.getlist("files"), *request.FILES.getlist("files[]")]


def valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    data = dict(ser.validated_data)
    data.pop("files", None)  # taken from request.FILES as they came, see uploaded_files
    return data


def paged(
    view: viewsets.GenericViewSet, rows: list[Any], serializer: Any, **context: Any
) -> Response:
    page = view.paginate_queryset(rows)
    context["request"] = view.request
    if page is None:
        return Response(serializer(rows, many=True, context=context).data)
    return view.get_paginated_response(serializer(page, many=True, context=context).data)


def report_response(request: Request, report: ProgressReport, code: int = 200) -> Response:
    """The report as the user may now see it (read again through the scoped selector)."""
    fresh = selectors.report_get_for_user(request.user, report.pk)
    return Response(ReportSerializer(fresh, context={"request": request}).data, status=code)


def extension_response(request: Request, ext: ExtensionRequest, code: int = 200) -> Response:
    fresh = selectors.extension_get_for_user(request.user, ext.pk)
    return Response(ExtensionSerializer(fresh, context={"request": request}).data, status=code)


class AssignmentFollowupViewSet(viewsets.GenericViewSet):
    """办理情况反馈、延期申请、申请办结与核查、时限记录：都挂在一项承办任务下。"""

    serializer_class = AssignmentSerializer
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Assignment]:
        qs = assignment_queryset_for(self.request.user)
        return qs.select_related("matter__office", "lead_unit").prefetch_related(
            "co_units__unit", "milestones"
        )

    def _assignment_response(self, assignment: Assignment) -> Response:
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(AssignmentSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(
        methods=["GET"],
        responses=ReportSerializer(many=True),
        summary="任务的办理情况反馈",
        description="本人可见的反馈（配合单位只看到本单位报送的材料），含每一版内容和佐证材料。",
    )
    @extend_schema(
        methods=["POST"],
        request=ReportWriteSerializer,
        responses={201: ReportSerializer},
        summary="报送办理情况",
        description="牵头单位报送本期反馈（须经单位负责人审核的，先到负责人处）；配合单位报送"
        "本单位的材料，由牵头单位汇总。佐证材料用 multipart/form-data 上传，类型、大小、"
        "数量不符时整份反馈都不保存。",
    )
    @action(detail=True, methods=["get", "post"], parser_classes=UPLOAD_PARSERS)
    def reports(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        if request.method == "GET":
            rows = selectors.reports_for(request.user, assignment)
            return paged(self, rows, ReportSerializer)
        data = valid(ReportWriteSerializer, request)
        report = reports.report_submit(
            request.user, assignment, files=uploaded_files(request), **data
        )
        return report_response(request, report, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses=ExtensionSerializer(many=True),
        summary="任务的延期申请",
        description="该任务的全部延期申请及其审批情况。",
    )
    @extend_schema(
        methods=["POST"],
        request=ExtensionWriteSerializer,
        responses={201: ExtensionSerializer},
        summary="申请延期",
        description="牵头单位在完成时限前申请延期：新的时限须为晚于现时限的工作日，"
        "理由至少 20 个字；先由督查室审核，再按规则报分管领导审批。",
    )
    @action(detail=True, methods=["get", "post"])
    def extensions(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        if request.method == "GET":
            return paged(self, selectors.extensions_for(assignment), ExtensionSerializer)
        data = valid(ExtensionWriteSerializer, request)
        ext = extensions.extension_request(
            request.user, assignment, data["new_due"], data["reason"]
        )
        return extension_response(request, ext, status.HTTP_201_CREATED)

    @extend_schema(
        responses=CompletionSerializer(many=True),
        summary="任务的办结申请",
        description="每一次申请办结的办理结果、佐证材料和核查结论（含实地核查情况）。",
    )
    @action(detail=True, methods=["get"])
    def completions(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        rows = selectors.completions_for(assignment)
        # As on the task page: a co-unit reads the result, not the lead unit's evidence.
        hidden = not selectors.sees_everything(request.user, assignment)
        return paged(self, rows, CompletionSerializer, files_hidden=hidden)

    @extend_schema(
        request=CompletionWriteSerializer,
        responses=AssignmentSerializer,
        summary="申请办结",
        description="牵头单位提交办理结果和佐证材料，任务变为“申请办结”，等待督查室核查。"
        "返回更新后的任务；申请本身见 completions。",
    )
    @action(detail=True, methods=["post"], url_path="request-completion",
            parser_classes=UPLOAD_PARSERS)  # fmt: skip
    def request_completion(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        data = valid(CompletionWriteSerializer, request)
        closing.request_completion(
            request.user, assignment, data["result"], files=uploaded_files(request)
        )
        return self._assignment_response(assignment)

    @extend_schema(
        request=VerifySerializer,
        responses=AssignmentSerializer,
        summary="核查",
        description="督查室核查办结申请：accept 通过（任务办结），return 退回继续办理"
        "（须写明理由）；可同时记录实地核查的日期、人员和情况。返回更新后的任务。",
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        data = valid(VerifySerializer, request)
        closing.verify(request.user, assignment, accept=data.pop("decision") == "accept", **data)
        return self._assignment_response(assignment)

    @extend_schema(
        responses=DeadlinesSerializer,
        summary="时限记录",
        description="任务有过的每一个完成时限：交办时的原定时限，以及每次批准延期、续办、"
        "年终评估顺延的变更。未批准的延期不改变时限。",
    )
    @action(detail=True, methods=["get"])
    def deadlines(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        body = deadline_rows(assignment, selectors.deadline_history(assignment))
        return Response(DeadlinesSerializer(body).data)
