"""REST API: the ledger as .xlsx under the same filters as GET /api/v1/matters/."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from luoshi.accounts import access
from luoshi.sheets.views import EXPORTERS, xlsx_response


@extend_schema(
    summary="导出台账 Excel",
    description="与台账页面相同的筛选参数（year、source、status、light、lead_unit、q、sort …）；"
    "按办公格式导出 .xlsx，承办单位只导出本单位的任务。",
    responses={
        (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
            OpenApiTypes.BINARY, description="台账 .xlsx"
        )
    },
)
@api_view(["GET"])
def ledger_export(request: Request):
    if not access.has_role(request.user, EXPORTERS):
        raise PermissionDenied("您没有导出台账的权限。")
    return xlsx_response(request.user, request.query_params)
