from __future__ import annotations

from django import forms
from django.utils import timezone

from luoshi.ledger.models import Category, Source


class ImportForm(forms.Form):
    file = forms.FileField(label="责任分解表（.xlsx，不超过 10 MB）")
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100,
        help_text="导入的事项登记在此年度；完成时限只写月日（如“6月30日前”）时也按此年度计算。",
    )  # fmt: skip
    source = forms.ChoiceField(
        label="默认事项来源", choices=Source.choices, initial=Source.WORK_REPORT,
        help_text="表中没有“来源”列或该格为空时使用。",
    )  # fmt: skip
    category = forms.ChoiceField(
        label="督查类别", choices=Category.choices, initial=Category.DECISION
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
