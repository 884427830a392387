from __future__ import annotations

from typing import Any

from django import forms

from luoshi.reminders.models import ReminderPolicy
from luoshi.reminders.rules import Recipient, Rule
from luoshi.reminders.services import NUMBERS


def label_of(name: str) -> str:
    return str(getattr(ReminderPolicy._meta.get_field(name), "verbose_name", name))


class PolicyForm(forms.Form):
    """提醒规则: timings, then for each rule who receives it."""

    enabled = forms.BooleanField(label="启用自动提醒", required=False)
    deadline_stages = forms.CharField(
        label=label_of("deadline_stages"),
        max_length=40,
        help_text="以逗号分隔，例如 3,1,0（0 表示到期当天）。",
    )

    def __init__(self, *args: Any, policy: ReminderPolicy, **kwargs: Any) -> None:
        initial = {name: getattr(policy, name) for name in ("enabled", "deadline_stages", *NUMBERS)}
        for rule in Rule.values:
            initial[f"to_{rule}"] = policy.groups(rule)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for name, (low, high) in NUMBERS.items():
            self.fields[name] = forms.IntegerField(
                label=label_of(name),
                min_value=low,
                max_value=high,
            )
        for rule in Rule:
            self.fields[f"to_{rule.value}"] = forms.MultipleChoiceField(
                label=rule.label,
                choices=Recipient.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def timing_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("enabled", "deadline_stages", *NUMBERS)]

    def recipient_fields(self) -> list[forms.BoundField]:
        return [self[f"to_{rule}"] for rule in Rule.values]

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("enabled", "deadline_stages", *NUMBERS)}
        data["recipients"] = {rule: self.cleaned_data[f"to_{rule}"] for rule in Rule.values}
        return data
