from typing import Any

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from luoshi.core import uploads
from luoshi.core.errors import ServiceError
from luoshi.workcal.calendar import CalendarYearMissing


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON with a Chinese ``detail`` and a machine ``code``."""
    if isinstance(exc, ServiceError):
        # A refused upload is logged here, outside the service's (rolled back) transaction.
        uploads.audit_rejection(exc, request=context.get("request"))
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    if isinstance(exc, CalendarYearMissing):
        return Response(
            {"detail": str(exc), "code": "calendar_year_missing", "year": exc.year}, status=400
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        if isinstance(exc, exceptions.ValidationError):
            response.data = {
                "detail": "提交的数据有误。",
                "code": "invalid",
                "errors": response.data,
            }
        elif isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            response.data.setdefault("code", codes if isinstance(codes, str) else "error")
    return response
