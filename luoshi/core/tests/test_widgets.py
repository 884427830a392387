"""The Python-rendered selects say what Django's own Select says."""

from __future__ import annotations

import re

from django import forms

from luoshi.core.widgets import FastSelect, FastSelectMultiple

UNITS = [("", "全部"), (1, "市住建局"), (2, "市<交通>局 & 港务"), (3, '"引号"单位'), (10, "十")]


def options(html: str) -> list[tuple[str, bool, str]]:
    """(value, selected, label) of each option, whatever the attribute order."""
    found = []
    for attrs, label in re.findall(r"<option([^>]*)>(.*?)</option>", html):
        value = re.search(r'value="([^"]*)"', attrs)
        found.append((value.group(1) if value else "", "selected" in attrs, label))
    return found


def test_it_renders_what_djangos_select_renders() -> None:
    for chosen in (None, "", 2, "3", 10):
        ours = FastSelect(choices=UNITS).render("unit", chosen, {"id": "id_unit"})
        django = forms.Select(choices=UNITS).render("unit", chosen, {"id": "id_unit"})
        assert options(ours) == options(django), chosen
        assert ours.startswith('<select name="unit" id="id_unit">') or ours.startswith(
            '<select id="id_unit" name="unit">'
        )


def test_a_cached_list_marks_only_this_renders_choice() -> None:
    first = options(FastSelect(choices=UNITS).render("unit", 1))
    second = options(FastSelect(choices=UNITS).render("unit", 10))
    assert [v for v, sel, _ in first if sel] == ["1"]
    assert [v for v, sel, _ in second if sel] == ["10"]  # "1" is not also marked


def test_it_selects_several_and_keeps_option_groups() -> None:
    many = FastSelectMultiple(choices=UNITS).render("units", [1, 3])
    assert "multiple" in many
    assert [v for v, sel, _ in options(many) if sel] == ["1", "3"]
    grouped = [("部门", [(1, "甲"), (2, "乙")]), (3, "丙")]
    html = FastSelect(choices=grouped).render("unit", 2)
    assert '<optgroup label="部门">' in html and "</optgroup>" in html
    assert [v for v, sel, _ in options(html) if sel] == ["2"]
