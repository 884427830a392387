"""The auditor's search form: every field optional, bad values explained in Chinese."""

from __future__ import annotations

from django import forms

from luoshi.audit.events import Event

DATE = forms.DateInput(attrs={"type": "date"})


class AuditFilterForm(forms.Form):
    q = forms.CharField(
        label="用户", required=False, max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "用户名或姓名", "type": "search"}),
    )  # fmt: skip
    event = forms.ChoiceField(label="事件", required=False,
                              choices=[("", "全部事件"), *Event.choices])  # fmt: skip
    outcome = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部结果"), ("ok", "成功"), ("fail", "失败")]
    )
    date_from = forms.DateField(label="起始日期", required=False, widget=DATE)
    date_to = forms.DateField(label="截止日期", required=False, widget=DATE)
    address = forms.CharField(
        label="地址", required=False, max_length=45,
        widget=forms.TextInput(attrs={"placeholder": "IP 地址"}),
    )  # fmt: skip
    request_id = forms.CharField(
        label="请求编号", required=False, max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "请求编号"}),
    )  # fmt: skip
    target = forms.CharField(
        label="对象", required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "对象类型、编号或名称"}),
    )  # fmt: skip

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data
