"""REST API for one extension request: read, approve (the office's step, then the
leader's), reject, withdraw."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.followup import selectors
from luoshi.followup.api import ID, extension_response, valid
from luoshi.followup.models import ExtensionRequest
from luoshi.followup.serializers import ExtensionSerializer
from luoshi.followup.services import extensions
from luoshi.ledger.serializers import CommentSerializer


class ExtensionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """延期申请：读取、审批（督查室审核、领导审批）、不予批准、撤回。"""

    serializer_class = ExtensionSerializer
    queryset = ExtensionRequest.objects.none()  # reads go through the scoped selector
    lookup_value_regex = ID

    def get_object(self) -> ExtensionRequest:
        ext = selectors.extension_get_for_user(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, ext)
        return ext

    def _comment(self, request: Request) -> str:
        return str(valid(CommentSerializer, request)["comment"])

    @extend_schema(summary="读取延期申请")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=CommentSerializer,
        responses=ExtensionSerializer,
        summary="同意延期",
        description="待督查室审核的由督查室审核：督查室规定须经领导审批的转分管领导，否则即行"
        "批准；待领导审批的由分管领导或主要领导批准。批准后任务的完成时限改为申请的日期，"
        "原时限保留在时限记录中。",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        ext = self.get_object()
        extensions.extension_approve(request.user, ext, self._comment(request))
        return extension_response(request, ext)

    @extend_schema(
        request=CommentSerializer,
        responses=ExtensionSerializer,
        summary="不同意延期",
        description="须写明理由（至少 5 个字）；任务保持原完成时限。",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        ext = self.get_object()
        extensions.extension_reject(request.user, ext, self._comment(request))
        return extension_response(request, ext)

    @extend_schema(
        request=None,
        responses=ExtensionSerializer,
        summary="撤回延期申请",
        description="牵头单位撤回尚未审批完毕的延期申请。",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        ext = self.get_object()
        extensions.extension_withdraw(request.user, ext)
        return extension_response(request, ext)
