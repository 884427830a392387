"""REST API for 督查公文 over the same services as the pages: a document the user cannot
see is a 404; the services decide who may act (403) and what is allowed (400, 409)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.documents import generators, monthly, selectors, services
from luoshi.documents.models import OfficialDocument
from luoshi.documents.serializers import (
    DocumentCreateSerializer,
    DocumentSerializer,
    DocumentUpdateSerializer,
    DocumentVersionSerializer,
)
from luoshi.documents.states import DocKind, DocStatus
from luoshi.documents.views import file_response
from luoshi.followup.api import ID, valid
from luoshi.ledger.selectors import matter_get_for_user

LIST_PARAMS = [
    OpenApiParameter("kind", str, enum=DocKind.values, required=False, description="文种"),
    OpenApiParameter("status", str, enum=DocStatus.values, required=False, description="状态"),
    OpenApiParameter("year", int, required=False, description="年度"),
]


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """督查公文：列表、读取、由模板新建、修改草稿、签发、公开、撤回公开、下载。"""

    serializer_class = DocumentSerializer
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[OfficialDocument]:
        qs = selectors.document_queryset_for(self.request.user).select_related("office")
        if self.action == "list":
            params = self.request.query_params
            for name in ("kind", "status"):
                value = params.get(name, "").strip()
                if value:
                    qs = qs.filter(**{name: value})
            year = params.get("year", "").strip()
            if year:
                if not year.isdigit():
                    raise ServiceError("参数 year 须为数字。", field="year")
                qs = qs.filter(year=int(year))
        return qs.order_by("-year", "-id")

    def get_object(self) -> OfficialDocument:
        return selectors.document_get_for_user(self.request.user, int(self.kwargs["pk"]))

    def _respond(self, doc: OfficialDocument, code: int = 200) -> Response:
        fresh = selectors.document_get_for_user(self.request.user, doc.pk)
        return Response(DocumentSerializer(fresh).data, status=code)

    @extend_schema(parameters=LIST_PARAMS, summary="督查公文列表")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=DocumentCreateSerializer,
        responses={201: DocumentSerializer},
        summary="新建公文草稿",
        description="督查室管理员新建空白公文，或由数据生成月度督查通报、督查专报、督办通知；"
        "签发前不编号。",
    )
    def create(self, request: Request) -> Response:
        data = valid(DocumentCreateSerializer, request)
        offices = selectors.offices_for(request.user)
        if not offices:
            raise NotPermitted("只有督查室管理员可以新建督查公文。")
        template = data["template"]
        if template == "monthly":
            if not data["year"] or not data["month"]:
                raise ServiceError("请给出通报的年份和月份。", field="month")
            doc = monthly.circular_for_month(request.user, offices[0], data["year"], data["month"])
        elif template in ("brief", "notice"):
            if not data["matter"]:
                raise ServiceError("请给出督查事项。", field="matter")
            matter = matter_get_for_user(request.user, data["matter"])
            make = (
                generators.brief_from_matter
                if template == "brief"
                else generators.notice_from_matter
            )
            doc = make(request.user, matter)
        else:
            doc = services.document_create(request.user, offices[0], data["kind"])
        return self._respond(doc, 201)

    @extend_schema(
        request=DocumentUpdateSerializer,
        responses=DocumentSerializer,
        summary="修改公文草稿",
        description="只有草稿可以修改；version 与当前版本不符时返回 409。",
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        doc = self.get_object()
        data = valid(DocumentUpdateSerializer, request)
        version = data.pop("version", None)
        services.document_update(request.user, doc, version, **data)
        return self._respond(doc)

    def _act(self, request: Request, call: Any) -> Response:
        doc = self.get_object()
        data = valid(DocumentVersionSerializer, request)
        call(request.user, doc, data["version"])
        return self._respond(doc)

    @extend_schema(
        request=DocumentVersionSerializer,
        responses=DocumentSerializer,
        summary="签发",
        description="编号（按督查机构、文种、年度）并定稿，保存 DOCX 与 PDF。",
    )
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.document_issue)

    @extend_schema(
        request=DocumentVersionSerializer,
        responses=DocumentSerializer,
        summary="公开",
        description="已签发的公文在公开页面（/public/）展示。",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.document_publish)

    @extend_schema(request=DocumentVersionSerializer, responses=DocumentSerializer,
                   summary="撤回公开")  # fmt: skip
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.document_unpublish)

    @extend_schema(
        summary="下载 DOCX 或 PDF",
        parameters=[OpenApiParameter("ext", str, OpenApiParameter.PATH, enum=["docx", "pdf"])],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"download/(?P<ext>docx|pdf)",
            url_name="download")  # fmt: skip
    def download(self, request: Request, pk: str | None = None, ext: str = "docx") -> HttpResponse:
        doc = self.get_object()
        full = OfficialDocument.objects.get(pk=doc.pk)
        data = services.docx_bytes(full) if ext == "docx" else services.pdf_bytes(full)
        return file_response(doc, data, ext)
