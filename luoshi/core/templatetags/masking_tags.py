"""``{% masked_phone obj %}``: a phone number masked, with a 显示 link for those who may see
it (htmx swaps the number in place; without JavaScript the link opens a small page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from luoshi.core import masking

register = template.Library()
KINDS = {"ledger.Assignment": "assignment", "accounts.User": "user"}


@register.filter
def mask_phone(value: str | None) -> str:
    return masking.mask_phone(value)


@register.inclusion_tag("core/_phone.html", takes_context=True)
def masked_phone(context: template.Context, obj: Any) -> dict[str, Any]:
    value = masking.phone_of(obj)
    request = context.get("request")
    user = getattr(request, "user", None)
    can = bool(value) and masking.may_see_phone(user, obj)
    return {
        "masked": masking.mask_phone(value),
        "url": reverse("core:reveal_phone", args=[KINDS[obj._meta.label], obj.pk]) if can else "",
    }
