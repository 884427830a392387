"""Forms of the document pages: they parse what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from luoshi.documents.states import DocKind, DocStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEMPLATES = [
    ("blank", "空白公文"),
    ("monthly", "月度督查通报（按月统计生成）"),
    ("brief", "督查专报（由督查事项生成）"),
    ("notice", "督办通知（由督查事项生成）"),
]


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="文种", required=False, choices=[("", "全部文种"), *DocKind.choices]
    )
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *DocStatus.choices]
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y}年") for y in years)]  # type: ignore[attr-defined]


class NewForm(forms.Form):
    template = forms.ChoiceField(
        label="模板", choices=TEMPLATES, initial="blank", widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label="文种（空白公文）", choices=DocKind.choices, initial=DocKind.CIRCULAR, required=False
    )
    period = forms.CharField(
        label="通报月份（月度通报）",
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text="例如 2026-10",
    )
    matter = forms.CharField(
        label="督查事项（专报、督办通知）",
        required=False,
        max_length=64,
        help_text="填写事项编号，如 督〔2026〕0001号；从事项页面进入时已填好。",
    )


class EditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="标题", max_length=200, required=False)
    organ = forms.CharField(label="发文机关", max_length=100, required=False)
    recipients = forms.CharField(label="主送", required=False)
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="每行一段；“一、”开头的行为黑体标题，“（一）”开头的为楷体标题；"
        "单独一行“【表格】”处放置表格。",
    )
    signature = forms.CharField(label="落款", max_length=100, required=False)
    issue_date = forms.DateField(
        label="成文日期", required=False, widget=DATE, help_text="不填则为签发当天。"
    )
    copies = forms.CharField(label="抄送", required=False)
    printer = forms.CharField(label="印发机关", max_length=100, required=False)
    print_date = forms.DateField(
        label="印发日期", required=False, widget=DATE, help_text="不填则同成文日期。"
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
