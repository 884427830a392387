"""Select boxes rendered in Python.

Django renders each <option> through its own template: a unit select holds ~1,500 units at
province scale, and the ledger's filter form has two of them, which took about a second a
page. These widgets write the same HTML directly (values and labels escaped)."""

from __future__ import annotations

from html import escape as html_escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:  # fmt: skip
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = {str(v) for v in self.format_value(value)}
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _v, label in choices):
            body = _grouped(choices, chosen)
        else:
            body = _flat(choices, chosen)
        return mark_safe(f"<select{flatatt(final)}>{body}</select>")  # noqa: S308 - escaped


def _grouped(choices: list[Any], chosen: set[str]) -> str:
    parts = []
    for option_value, label in choices:
        if isinstance(label, (list, tuple)):  # an option group
            parts.append(f'<optgroup label="{escape(option_value)}">')
            parts.extend(_option(v, text, chosen) for v, text in label)
            parts.append("</optgroup>")
        else:
            parts.append(_option(option_value, label, chosen))
    return "".join(parts)


# The options of the last few lists rendered, by their content: the same 1,500 units are
# written on every ledger page (three selects), and only the chosen one differs.
_RENDERED: dict[int, tuple[str, dict[str, tuple[int, int]]]] = {}
_KEEP = 16


def _flat(choices: list[Any], chosen: set[str]) -> str:
    key = hash(tuple((str(v), str(label)) for v, label in choices))
    cached = _RENDERED.get(key)
    if cached is None:
        parts: list[str] = []
        where: dict[str, tuple[int, int]] = {}
        at = 0
        for v, label in choices:
            text = _option(v, label, set())
            value = "" if v is None else str(v)
            # Where " selected" goes for this value: after its value attribute.
            where.setdefault(value, (at, at + len(f'<option value="{html_escape(value)}"')))
            parts.append(text)
            at += len(text)
        if len(_RENDERED) >= _KEEP:
            _RENDERED.clear()
        cached = _RENDERED[key] = ("".join(parts), where)
    html, where = cached
    spots = sorted(where[v][1] for v in chosen if v in where)
    if not spots:
        return html
    pieces, last = [], 0
    for spot in spots:
        pieces.append(html[last:spot])
        pieces.append(" selected")
        last = spot
    pieces.append(html[last:])
    return "".join(pieces)


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    allow_multiple_selected = True


def _option(value: Any, label: Any, chosen: set[str]) -> str:
    # The standard library's escape on plain strings: Django's checks every argument for a
    # lazy translation first, which doubled the cost of 3,000 options a page.
    value = "" if value is None else str(value)
    selected = " selected" if value in chosen else ""
    return f'<option value="{html_escape(value)}"{selected}>{html_escape(str(label))}</option>'


def set_flat_choices(field: forms.ChoiceField, choices: list[tuple[Any, str]]) -> None:
    """Give a choice field (value, label) pairs without Django re-normalising them: the
    ``choices`` setter walks every pair recursively, ~0.1 s for a province's units."""
    field._choices = field.widget.choices = choices  # type: ignore[attr-defined]
