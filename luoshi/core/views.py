from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from luoshi.accounts.roles import Role
from luoshi.core.decorators import role_required
from luoshi.core.loops import loop_status
from luoshi.notify.selectors_admin import outbox_health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for operators: 503 when the database is unreachable, loops listed with staleness."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        return JsonResponse(
            {"status": "error", "database": {"ok": False, "error": str(exc)}, "loops": []},
            status=503,
        )
    loops = loop_status()
    status = "ok" if not any(loop["stale"] for loop in loops) else "degraded"
    return JsonResponse(
        {
            "status": status,
            "time": timezone.now().isoformat(),
            "database": database,
            "loops": loops,
            # Messages that failed for good wait for an administrator (消息投递); they are
            # reported here but do not make the service degraded.
            "outbox": outbox_health(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@role_required({Role.SYSADMIN})
def loops_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/loops.html", {"loops": loop_status(), "outbox": outbox_health()})
