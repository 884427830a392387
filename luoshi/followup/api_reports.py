"""REST API for one progress report (read, resubmit, head approval, accept, return) and
for downloading evidence files, scoped like the task they belong to."""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.followup import selectors, views_files
from luoshi.followup.api import ID, UPLOAD_PARSERS, report_response, uploaded_files, valid
from luoshi.followup.models import Attachment, ProgressReport
from luoshi.followup.serializers import (
    AttachmentSerializer,
    ReportSerializer,
    ReportWriteSerializer,
)
from luoshi.followup.services import reports
from luoshi.ledger.serializers import CommentSerializer

HEAD_APPROVE = "牵头单位负责人审核本单位的反馈，通过后报督查室审核（督查室规定须经负责人审核时）。"


class ReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """办理情况反馈：读取、修改后重新报送、单位负责人审核、督查室采纳或退回。"""

    serializer_class = ReportSerializer
    queryset = ProgressReport.objects.none()  # reads go through the scoped selector
    lookup_value_regex = ID

    def get_object(self) -> ProgressReport:
        report = selectors.report_get_for_user(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, report)
        return report

    def _comment(self, request: Request) -> str:
        return str(valid(CommentSerializer, request)["comment"])

    @extend_schema(summary="读取一份反馈", description="反馈的当前内容、每一版及其佐证材料。")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=ReportWriteSerializer,
        responses=ReportSerializer,
        summary="修改后重新报送",
        description="报送单位修改被退回的反馈，形成新的一版；此前各版原样保留。",
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def resubmit(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        data = valid(ReportWriteSerializer, request)
        reports.report_resubmit(request.user, report, files=uploaded_files(request), **data)
        return report_response(request, report)

    def _head_approve(self, request: Request) -> Response:
        report = self.get_object()
        reports.report_head_approve(request.user, report, self._comment(request))
        return report_response(request, report)

    @extend_schema(
        request=CommentSerializer, responses=ReportSerializer, summary="单位负责人审核通过",
        description=HEAD_APPROVE,
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="head-approve")
    def head_approve(self, request: Request, pk: str | None = None) -> Response:
        return self._head_approve(request)

    @extend_schema(
        request=CommentSerializer,
        responses=ReportSerializer,
        summary="单位负责人审核通过（head-approve 的别名）",
        description=HEAD_APPROVE + "与 head-approve 完全相同；督查室采纳反馈请用 accept。",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._head_approve(request)

    @extend_schema(
        request=CommentSerializer, responses=ReportSerializer, summary="督查室采纳",
        description="督查室采纳待审核的反馈；反馈所报达成的节点记为已完成。",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        reports.report_accept(request.user, report, self._comment(request))
        return report_response(request, report)

    @extend_schema(
        request=CommentSerializer,
        responses=ReportSerializer,
        summary="退回反馈",
        description="退回须写明意见（至少 5 个字）：待督查室审核的由督查室退回，待负责人审核的"
        "由牵头单位负责人退回，配合单位的材料由牵头单位退回。",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        reports.report_return(request.user, report, self._comment(request))
        return report_response(request, report)


class AttachmentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """佐证材料：看得到所属反馈或任务的人才能读取和下载。"""

    serializer_class = AttachmentSerializer
    queryset = Attachment.objects.none()  # reads go through the scoped selector
    lookup_value_regex = ID

    def get_object(self) -> Attachment:
        att = selectors.attachment_get_for_user(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, att)
        return att

    @extend_schema(summary="佐证材料信息")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            409: OpenApiResponse(description="存储中的文件缺失或与上传时的校验值不一致"),
        },
        summary="下载佐证材料",
        description="以附件形式返回原文件名和内容；发送前核对上传时记录的 SHA-256，"
        "不一致或文件缺失时拒绝（409）并记入审计日志。",
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        att = self.get_object()
        opened = views_files.open_or_refuse(request, att)
        if isinstance(opened, str):
            return Response(
                {"detail": opened, "code": "file_integrity"},
                status=views_files.INTEGRITY_STATUS,
            )
        return views_files.attachment_response(opened, att, inline=False)
