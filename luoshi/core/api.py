from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.workcal.calendar import CalendarYearMissing


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Business refusals become 400 (or 403) with the Chinese message in ``detail``."""
    if isinstance(exc, NotPermitted):
        return Response({"detail": exc.message}, status=403)
    if isinstance(exc, ServiceError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=400)
    if isinstance(exc, CalendarYearMissing):
        return Response({"detail": str(exc), "year": exc.year}, status=400)
    return drf_exception_handler(exc, context)
