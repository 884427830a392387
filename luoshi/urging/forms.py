"""Forms of the urging pages. They only parse what was typed: the services decide and say
why in Chinese, and a bound form keeps the input when they refuse."""

from __future__ import annotations

from typing import Any

from django import forms

from luoshi.org.models import Unit
from luoshi.urging.services import OPINION_MIN, REPLY_MIN, TEXT_MIN
from luoshi.urging.states import UrgingKind, UrgingStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _counted(rows: int, minimum: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "data-count-min": minimum})


class VersionForm(forms.Form):
    """Carries the version the page showed, so a decision on a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=UrgingKind.choices, initial=UrgingKind.URGE, widget=forms.RadioSelect
    )
    unit = forms.TypedChoiceField(label="被催办单位", coerce=int)
    text = forms.CharField(
        label="催办要求",
        required=False,
        help_text=f"至少 {TEXT_MIN} 个字，写明须办理的事项和要求。",
        widget=_counted(4, TEXT_MIN),
    )
    reply_due = forms.DateField(
        label="回复时限", required=False, widget=DATE, help_text="须为工作日；默认 3 个工作日。"
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = units[0].pk if units else None
        field = self.fields["unit"]
        field.choices = [  # type: ignore[attr-defined]
            (u.pk, f"{u.name}（{'牵头单位' if u.pk == lead else '配合单位'}）") for u in units
        ]
        field.initial = lead


class ReplyForm(VersionForm):
    reply_text = forms.CharField(
        label="回复内容",
        required=False,
        help_text=f"至少 {REPLY_MIN} 个字，写明办理情况、进展和下一步措施。",
        widget=_counted(5, REPLY_MIN),
    )


class ReviewForm(VersionForm):
    """办结 or 退回 a reply; a return needs an opinion and sets a new reply deadline."""

    comment = forms.CharField(
        label=f"意见（退回时必填，至少 {OPINION_MIN} 个字）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reply_due = forms.DateField(
        label="退回后回复时限",
        required=False,
        widget=DATE,
        help_text="仅退回时使用；不填为 3 个工作日。",
    )


class CancelForm(VersionForm):
    reason = forms.CharField(
        label="撤回原因", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


STATUS_FILTERS = [("", "全部状态"), *UrgingStatus.choices, ("overdue", "逾期未回复")]


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=STATUS_FILTERS, required=False)
    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部类型"), *UrgingKind.choices], required=False
    )
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    unit = forms.TypedChoiceField(label="单位", coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, years: list[int], units: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y}年") for y in years)]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", "全部单位"), *units]  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = str(field.label)
