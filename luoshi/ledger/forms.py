from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

from luoshi.core.widgets import FastSelect, FastSelectMultiple, set_flat_choices
from luoshi.ledger.filters import LIGHT_CHOICES
from luoshi.ledger.models import Category, Priority, ReportCycle, Source
from luoshi.ledger.states import MatterStatus

DATE = forms.DateInput(attrs={"type": "date"})


class MatterForm(forms.Form):
    title = forms.CharField(label="事项名称", max_length=200)
    content = forms.CharField(label="内容及要求", widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(label="事项来源", choices=Source.choices)
    category = forms.ChoiceField(label="督查类别", choices=Category.choices)
    priority = forms.ChoiceField(
        label="重要程度", choices=Priority.choices, initial=Priority.NORMAL
    )
    supervising_leader = forms.TypedChoiceField(
        label="分管领导", coerce=int, required=False, empty_value=None
    )
    meeting_name = forms.CharField(label="会议名称", max_length=200, required=False)
    meeting_date = forms.DateField(label="会议日期", required=False, widget=DATE)
    instructing_leader = forms.CharField(label="批示领导", max_length=50, required=False)
    instruction_text = forms.CharField(
        label="批示内容", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    received_on = forms.DateField(label="收到日期", required=False, widget=DATE)
    result_required = forms.BooleanField(label="批示要求报送办理结果", required=False)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    doc_issuer = forms.CharField(label="发文机关", max_length=100, required=False)
    stated_deadline = forms.DateField(label="明确的完成时限", required=False, widget=DATE)
    long_term = forms.BooleanField(label="长期跟踪", required=False)
    tags = forms.CharField(label="标签（以逗号分隔）", max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in raw.replace("，", ",").split(",") if t.strip()]


def parse_milestones(text: str) -> list[tuple[date, str]]:
    """Lines of “YYYY-MM-DD 节点目标”."""
    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, _, rest = line.partition(" ")
        try:
            due = date.fromisoformat(head)
        except ValueError:
            raise forms.ValidationError(
                f"第 {number} 行节点应写成“YYYY-MM-DD 节点目标”。"
            ) from None
        if not rest.strip():
            raise forms.ValidationError(f"第 {number} 行节点缺少节点目标。")
        out.append((due, rest.strip()))
    return out


class AssignmentForm(forms.Form):
    task = forms.CharField(label="任务内容", widget=forms.Textarea(attrs={"rows": 2}))
    lead_unit = forms.TypedChoiceField(label="牵头单位", coerce=int, widget=FastSelect)
    co_units = forms.TypedMultipleChoiceField(
        label="配合单位", coerce=int, required=False, widget=FastSelectMultiple
    )
    responsible_leader = forms.CharField(label="责任领导", max_length=50, required=False)
    responsible_person = forms.CharField(label="责任人", max_length=50, required=False)
    responsible_phone = forms.CharField(label="责任人电话", max_length=20, required=False)
    due_date = forms.DateField(label="完成时限", required=False, widget=DATE)
    due_override_reason = forms.CharField(
        label="晚于事项时限的理由", max_length=255, required=False
    )
    indicator_name = forms.CharField(label="量化指标", max_length=100, required=False)
    indicator_target = forms.DecimalField(
        label="目标值", max_digits=14, decimal_places=2, required=False
    )
    indicator_unit = forms.CharField(label="计量单位", max_length=20, required=False)
    progress_requirement = forms.CharField(
        label="进度要求（不能量化时填写）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    report_cycle = forms.ChoiceField(
        label="反馈周期", choices=ReportCycle.choices, initial=ReportCycle.MONTHLY
    )
    milestones = forms.CharField(
        label="节点（每行：YYYY-MM-DD 节点目标）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2026-10-15 完成摸底调查"}),
    )

    def clean_milestones(self) -> list[tuple[date, str]]:
        return parse_milestones(self.cleaned_data.get("milestones") or "")


class ReasonForm(forms.Form):
    comment = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UnitReasonForm(forms.Form):
    unit = forms.TypedChoiceField(label="单位", coerce=int, widget=FastSelect)
    comment = forms.CharField(
        label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(forms.Form):
    """The ledger's filters, shared by the page and the API."""

    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    source = forms.ChoiceField(
        label="来源", required=False, choices=[("", "全部"), *Source.choices]
    )
    category = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部"), *Category.choices]
    )
    priority = forms.ChoiceField(
        label="重要程度", required=False, choices=[("", "全部"), *Priority.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *MatterStatus.choices]
    )
    light = forms.ChoiceField(label="亮灯", required=False, choices=[("", "全部"), *LIGHT_CHOICES])
    lead_unit = forms.TypedChoiceField(
        label="牵头单位", coerce=int, required=False, empty_value=None, widget=FastSelect
    )
    co_unit = forms.TypedChoiceField(
        label="配合单位", coerce=int, required=False, empty_value=None, widget=FastSelect
    )
    leader = forms.TypedChoiceField(
        label="分管领导", coerce=int, required=False, empty_value=None, widget=FastSelect
    )
    due_from = forms.DateField(label="时限自", required=False, widget=DATE)
    due_to = forms.DateField(label="时限至", required=False, widget=DATE)
    q = forms.CharField(label="关键词", required=False, max_length=100)
    # Date windows the dashboard's figures drill into; kept hidden on the page and named
    # in the note above the list.
    assigned_from = forms.DateField(label="交办自", required=False, widget=forms.HiddenInput)
    assigned_to = forms.DateField(label="交办至", required=False, widget=forms.HiddenInput)
    approved_from = forms.DateField(label="立项自", required=False, widget=forms.HiddenInput)
    approved_to = forms.DateField(label="立项至", required=False, widget=forms.HiddenInput)
    closed_from = forms.DateField(label="销号自", required=False, widget=forms.HiddenInput)
    closed_to = forms.DateField(label="销号至", required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("", "最新立项"),
            ("due_date", "时限由近到远"),
            ("-due_date", "时限由远到近"),
            ("number", "编号"),
            ("title", "名称"),
        ],
    )

    def __init__(self, *args: Any, unit_choices: Any = (), leader_choices: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        blank = [("", "全部")]
        units = blank + list(unit_choices)
        set_flat_choices(self.fields["lead_unit"], units)  # type: ignore[arg-type]
        set_flat_choices(self.fields["co_unit"], units)  # type: ignore[arg-type]
        set_flat_choices(self.fields["leader"], blank + list(leader_choices))  # type: ignore[arg-type]

    WINDOWS = (("assigned", "交办"), ("approved", "立项"), ("closed", "销号"))

    def window_notes(self) -> list[str]:
        """The hidden date windows in force, in words (e.g. "交办日期 2026-10-01 至 2026-10-31")."""
        data = getattr(self, "cleaned_data", {}) or {}
        notes = []
        for name, label in self.WINDOWS:
            start, end = data.get(f"{name}_from"), data.get(f"{name}_to")
            if start or end:
                notes.append(f"{label}日期 {start or '不限'} 至 {end or '不限'}")
        return notes

    def without_windows(self) -> str:
        """The current query string with the date windows dropped."""
        query = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        for name, _label in self.WINDOWS:
            query.pop(f"{name}_from", None)
            query.pop(f"{name}_to", None)
        query.pop("after", None)
        return query.urlencode()
