"""The 生成督查专报 / 督办通知 links the office admin sees on a matter's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from luoshi.documents.services import can_write

register = template.Library()


@register.simple_tag(takes_context=True)
def document_links(context: dict[str, Any], matter: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_write(user, matter.office):
        return ""
    new = reverse("documents:new")
    return format_html(
        '<p class="doc-links" data-testid="matter-documents">'
        '<a href="{}?template=brief&amp;matter={}">生成督查专报</a> · '
        '<a href="{}?template=notice&amp;matter={}">生成督办通知</a></p>',
        new,
        matter.pk,
        new,
        matter.pk,
    )
