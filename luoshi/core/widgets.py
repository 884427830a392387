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
        parts = [f"<select{flatatt(final)}>"]
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an option group
                parts.append(f'<optgroup label="{escape(option_value)}">')
                parts.extend(_option(v, text, chosen) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(option_value, label, chosen))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped


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
