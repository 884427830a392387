"""GET /api/v1/stats/: the dashboard's figures as JSON, under the page's permission rules."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.accounts import access
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.core.navigation import LIGHT_READERS
from luoshi.stats import dashboard, snapshot
from luoshi.stats.forms import StatsFilterForm

RATE = {
    "type": "object",
    "properties": {
        "numerator": {"type": "integer"},
        "denominator": {"type": "integer"},
        "percent": {"type": "number", "nullable": True, "description": "分母为 0 时为 null"},
    },
}
FIGURES = {
    "type": "object",
    "properties": {
        "tasks": {"type": "integer", "description": "已交办任务数（不含待交办、已撤销）"},
        "completed": {"type": "integer"},
        "overdue": {"type": "integer"},
        "completion": RATE,
        "on_time": RATE,
        "overdue_rate": RATE,
        "sign_on_time": RATE,
        "report_on_time": RATE,
        "returned": RATE,
        "lights": {"type": "object", "additionalProperties": {"type": "integer"}},
        "as_of": {
            "type": "string",
            "format": "date-time",
            "nullable": True,
            "description": "数据截至（统计快照的计算时间）；null 表示本次实时计算",
        },
    },
}
BUCKETS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"key": {"type": "string"}, "label": {"type": "string"},
                       "count": {"type": "integer"}},
    },
}  # fmt: skip
RESPONSE = {
    "type": "object",
    "properties": {
        "scope": {"type": "object"},
        "overall": FIGURES,
        "by_unit": {"type": "array", "items": FIGURES},
        "totals": {"type": "object", "additionalProperties": BUCKETS},
        "trend": {"type": "object"},
        "lights": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
}


@extend_schema(
    summary="统计分析：办结率、按期办结率、逾期率、签收及时率、反馈及时率、退回率等",
    parameters=[
        OpenApiParameter("year", int, required=False, description="事项年度，默认本年"),
        OpenApiParameter("from", str, required=False, description="交办起始日期 YYYY-MM-DD"),
        OpenApiParameter("to", str, required=False, description="交办截止日期 YYYY-MM-DD"),
        OpenApiParameter("leader", int, required=False, description="分管领导用户 id"),
        OpenApiParameter("unit", int, required=False, description="牵头单位 id（含下级单位）"),
    ],
    responses={200: RESPONSE},
)
@api_view(["GET"])
def stats(request: Request) -> Response:
    if not access.has_role(request.user, LIGHT_READERS):
        raise NotPermitted("只有督查室、领导和监督部门可以查看统计分析。")
    form = StatsFilterForm(request.query_params, today=timezone.localdate())
    if not form.is_valid():
        field = next(iter(form.errors), None)
        raise ServiceError(form.first_error(), field=None if field == "__all__" else field)
    served = snapshot.get(form.scope(request.user), form.today)
    body = dashboard.as_json(served.dashboard)
    body["as_of"] = served.as_of.isoformat() if served.as_of else None
    return Response(body)
