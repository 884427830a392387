from typing import Any

from django.http import HttpRequest

from luoshi.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from luoshi.notify.selectors import bell_for
    from luoshi.workcal.selectors import missing_schedule_banner

    return {
        "nav_items": navigation_for(user, request.path),
        "calendar_banner": missing_schedule_banner(user),
        # The unread count is one indexed COUNT, made when the top bar shows the bell.
        "bell": bell_for(request),
    }
