"""红黄绿灯 badges for every page: the colour, a shape and the word, so that the light
reads without colour vision and in a screen reader."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from luoshi.ledger.states import Light

register = template.Library()

# A shape per light: red and green look alike to many colour-blind readers.
MARKS = {Light.RED: "■", Light.YELLOW: "▲", Light.GREEN: "●"}
WORDS = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}


@register.simple_tag
def light_badge(value: Any, what: str = "") -> SafeString:
    """``what`` names the thing lit (“任务”, “事项”) for screen readers."""
    try:
        light = Light(value or "")
    except ValueError:
        light = Light.NONE
    prefix = f"{what}亮灯：" if what else "亮灯："
    if light == Light.NONE:
        return format_html(
            '<span class="light light-none" data-testid="light" data-light="">'
            '<span aria-hidden="true">—</span><span class="sr">{}未亮灯</span></span>',
            prefix,
        )
    return format_html(
        '<span class="light light-{}" data-testid="light" data-light="{}">'
        '<span class="light-mark" aria-hidden="true">{}</span>'
        '<span class="sr">{}</span>{}</span>',
        light.value,
        light.value,
        MARKS[light],
        prefix,
        WORDS[light],
    )
