"""The task page's 催办记录, rendered from the task page without the task view knowing it."""

from __future__ import annotations

from typing import Any

from django import template

from luoshi.ledger.models import Assignment
from luoshi.urging.selectors import task_panel

register = template.Library()


@register.inclusion_tag("urging/_task_panel.html", takes_context=True)
def urging_task_panel(context: template.Context, assignment: Assignment) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"urgings": [], "can_urge": False}
    return task_panel(user, assignment)
