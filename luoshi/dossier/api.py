"""REST API: the same 一事一档 ZIP as the page, for archive systems that collect it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from luoshi.dossier import build, collect
from luoshi.dossier.views import zip_response


class ZipRenderer(BaseRenderer):
    """Lets clients ask for ``Accept: application/zip``; the ZIP itself is a FileResponse
    and never rendered, so what comes here is an error, which stays JSON."""

    media_type = "application/zip"
    format = "zip"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> bytes:  # fmt: skip
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data)


@extend_schema(
    operation_id="matter_dossier",
    summary="下载一事一档（ZIP）",
    description=(
        "事项的完整档案：事项概要（PDF、DOCX）、各次办理情况反馈、全部佐证材料、事项记录"
        "（xlsx、csv）和带 SHA-256 的文件清单。只有督查室、分管领导和监督部门可以下载；"
        "只能看到本单位任务的承办单位得到 403，看不到的事项为 404。"
    ),
    responses={
        (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="ZIP 文件"),
        403: OpenApiResponse(description="无权下载"),
        404: OpenApiResponse(description="事项不存在"),
    },
    tags=["matters"],
)
@api_view(["GET"])
@renderer_classes([JSONRenderer, ZipRenderer])
def matter_dossier(request: Request, pk: int) -> HttpResponseBase:
    # NotPermitted is a ServiceError: the API's handler answers it with 403 and its message.
    matter = collect.matter_for_dossier(request.user, pk)
    handle = build.build(matter, request.user)
    return zip_response(handle, build.zip_name(matter), f"dossier-{matter.pk}.zip")
