"""Forms of the follow-through pages. They only parse what was typed: the services decide
what is allowed and say why in Chinese, and a bound form keeps the input when they refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from luoshi.followup import evidence
from luoshi.followup.services.extensions import REASON_MIN
from luoshi.ledger.models import Assignment, Milestone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input; the service checks type, size and count."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "佐证材料")
        kwargs.setdefault(
            "help_text",
            f"可上传{evidence.ALLOWED_LABEL}；每个文件不超过 {settings.LUOSHI_UPLOAD_MAX_MB} MB，"
            f"一次最多 {evidence.max_files()} 个。",
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = evidence.ACCEPT

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


def milestone_label(m: Milestone) -> str:
    return f"{m.due_date:%Y-%m-%d} {m.deliverable}"


class ReportForm(forms.Form):
    """报送办理情况, a co-unit's part, or the corrected version of a returned report."""

    text = forms.CharField(
        label="办理情况", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    progress = forms.CharField(
        label="完成进度（%）",
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
    )
    indicator_value = forms.CharField(
        label="指标完成值",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    milestones = forms.TypedMultipleChoiceField(
        label="本期完成的节点",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    # Named as the services name it, so their refusals land beside this input; a form
    # instance's own ``files`` (the upload dict) is separate from its declared fields.
    files = EvidenceField()  # type: ignore[assignment]

    def __init__(self, *args: Any, assignment: Assignment, lead: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if assignment.indicator_name:
            target = assignment.indicator_target
            shown = "" if target is None else f"{target.normalize():f}"
            self.fields[
                "indicator_value"
            ].label = (
                f"{assignment.indicator_name}完成值（目标 {shown}{assignment.indicator_unit}）"
            )
        else:
            del self.fields["indicator_value"]
        ms = [m for m in assignment.milestones.all() if m.reached_at is None]
        if lead and ms:
            choices = [(m.pk, milestone_label(m)) for m in ms]
            self.fields["milestones"].choices = choices  # type: ignore[attr-defined]
        else:
            # Milestones are the lead unit's to claim; co-units only send material.
            del self.fields["milestones"]


# The opinion labels, the same on a fresh form and on one shown again after a refusal.
REVIEW_OPINION = "审核意见（退回时必填）"
DECISION_OPINION = "审批意见（不同意时必填）"
RETURN_OPINION = "退回意见"


class CommentForm(forms.Form):
    """A decision with an opinion (required by the services when it refuses or returns)."""

    comment = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, label: str = "意见", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = label


class ExtensionForm(forms.Form):
    new_due = forms.DateField(label="申请延至", required=False, widget=DATE)
    reason = forms.CharField(
        label="延期理由",
        required=False,
        help_text=f"至少 {REASON_MIN} 个字，写明不能按期完成的原因和保证措施。",
        widget=forms.Textarea(attrs={"rows": 3, "data-count-min": REASON_MIN}),
    )


class CompletionForm(forms.Form):
    result = forms.CharField(
        label="办理结果", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    # Named as the services name it, so their refusals land beside this input; a form
    # instance's own ``files`` (the upload dict) is separate from its declared fields.
    files = EvidenceField()  # type: ignore[assignment]


class VerifyForm(forms.Form):
    comment = forms.CharField(
        label="核查意见（退回时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    onsite_on = forms.DateField(label="实地核查日期", required=False, widget=DATE)
    onsite_by = forms.CharField(label="核查人员", required=False, max_length=200)
    onsite_findings = forms.CharField(
        label="实地核查情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContinueForm(forms.Form):
    """续办: a new requirement and deadline for the chosen tasks (all by default)."""

    requirement = forms.CharField(
        label="续办要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(label="续办完成时限", required=False, widget=DATE)
    assignments = forms.TypedMultipleChoiceField(
        label="续办的任务",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择要续办的任务。"},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignments": [pk for pk, _ in choices]})
        super().__init__(*args, **kwargs)
        self.fields["assignments"].choices = choices  # type: ignore[attr-defined]


class YearReviewForm(forms.Form):
    comment = forms.CharField(
        label="评估意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_due = forms.DateField(
        label="顺延完成时限（可不填）",
        required=False,
        widget=DATE,
        help_text="填写后，办理中的任务完成时限顺延至该日期。",
    )
