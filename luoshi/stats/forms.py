"""The dashboard's filters (page, export and API alike) and the ``Scope`` they make."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from luoshi.core.widgets import FastSelect, set_flat_choices
from luoshi.ledger.choices import active_unit_choices, leader_choices
from luoshi.org.models import Unit
from luoshi.stats.figures import Scope

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERIODS = [
    ("", "全年"),
    *[(f"q{q}", f"第{'一二三四'[q - 1]}季度") for q in range(1, 5)],
    *[(f"m{m}", f"{m}月") for m in range(1, 13)],
    ("custom", "自定义"),
]


def period_bounds(year: int, period: str) -> tuple[date | None, date | None]:
    """The first and last day of a quarter or month of ``year``; (None, None) for 全年."""
    if period.startswith("q"):
        q = int(period[1:])
        first, last = 3 * q - 2, 3 * q
    elif period.startswith("m"):
        first = last = int(period[1:])
    else:
        return None, None
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


class StatsFilterForm(forms.Form):
    year = forms.IntegerField(
        label="年度", required=False, min_value=2000, max_value=2100,
        error_messages={"invalid": "年度应为四位数字。", "min_value": "年度不能早于 2000 年。",
                        "max_value": "年度不能晚于 2100 年。"},
    )  # fmt: skip
    all_years = forms.BooleanField(label="全部年度", required=False)
    period = forms.ChoiceField(
        label="期间", required=False, choices=PERIODS,
        error_messages={"invalid_choice": "期间只能是全年、季度、月份或自定义。"},
    )  # fmt: skip
    date_from = forms.DateField(
        label="交办自", required=False, widget=DATE,
        error_messages={"invalid": "起始日期格式应为 YYYY-MM-DD。"},
    )  # fmt: skip
    date_to = forms.DateField(
        label="交办至", required=False, widget=DATE,
        error_messages={"invalid": "截止日期格式应为 YYYY-MM-DD。"},
    )  # fmt: skip
    leader = forms.TypedChoiceField(
        label="分管领导", coerce=int, required=False, empty_value=None, widget=FastSelect,
        error_messages={"invalid_choice": "所选分管领导不存在。"},
    )  # fmt: skip
    unit = forms.TypedChoiceField(
        label="单位", coerce=int, required=False, empty_value=None, widget=FastSelect,
        error_messages={"invalid_choice": "所选单位不存在或已停用。"},
    )  # fmt: skip

    def __init__(self, data: Any = None, *, today: date, **kwargs: Any) -> None:
        # The API spells the period's ends ``from``/``to`` like the task list does.
        if data is not None:
            data = data.copy()
            for short, name in (("from", "date_from"), ("to", "date_to")):
                if short in data and name not in data:
                    data[name] = data[short]
            # ``year=all`` (API and links) is the 全部年度 box.
            if data.get("year") == "all":
                data["year"] = ""
                data["all_years"] = "on"
        super().__init__(data, **kwargs)
        self.today = today
        self.fields["leader"].choices = [("", "全部"), *leader_choices()]  # type: ignore[attr-defined]
        set_flat_choices(self.fields["unit"], [("", "全部单位"), *active_unit_choices()])  # type: ignore[arg-type]
        self.fields["year"].widget.attrs["placeholder"] = str(today.year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period = data.get("period") or ""
        if data.get("all_years"):
            if period and period != "custom":
                raise forms.ValidationError("按季度或月份统计时请选择年度，不能选全部年度。")
            year = None
        else:
            year = data.get("year") or self.today.year
        data["year"] = year
        start, end = data.get("date_from"), data.get("date_to")
        if year is not None and period and period != "custom":
            start, end = period_bounds(year, period)
        elif period == "custom" and not (start or end):
            raise forms.ValidationError("自定义期间请填写交办起止日期。")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        data["date_from"], data["date_to"] = start, end
        return data

    def scope(self, user: Any) -> Scope:
        """The cleaned filters as a ``Scope``; call only when the form is valid."""
        data = self.cleaned_data
        unit = Unit.objects.filter(pk=data["unit"]).first() if data.get("unit") else None
        return Scope(
            user=user,
            year=data["year"],
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            leader_id=data.get("leader"),
            unit=unit,
        )

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return "筛选条件有误。"
