from __future__ import annotations

from typing import Any

from rest_framework import serializers

from luoshi.reminders.models import Reminder, ReminderPolicy
from luoshi.reminders.rules import Recipient, Rule
from luoshi.reminders.services import NUMBERS


class ReminderPolicySerializer(serializers.ModelSerializer):
    recipients = serializers.SerializerMethodField()

    class Meta:
        model = ReminderPolicy
        fields = ["enabled", "deadline_stages", *NUMBERS, "recipients", "updated_at"]

    def get_recipients(self, policy: ReminderPolicy) -> dict[str, list[str]]:
        return {rule: policy.groups(rule) for rule in Rule.values}


class ReminderPolicyWriteSerializer(serializers.Serializer):
    """Every field is required: a PUT replaces the office's rules."""

    enabled = serializers.BooleanField()
    deadline_stages = serializers.CharField(max_length=40, help_text="例如 3,1,0")
    recipients = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(choices=Recipient.choices)),
        help_text="规则 → 提醒对象，规则：" + "、".join(Rule.values),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in NUMBERS.items():
            self.fields[name] = serializers.IntegerField(min_value=low, max_value=high)


class ReminderSerializer(serializers.ModelSerializer):
    rule_label = serializers.CharField(source="get_rule_display", read_only=True)
    recipient = serializers.CharField(source="recipient.display_name", read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True, default="")
    delivered = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = [
            "id", "fired_on", "rule", "rule_label", "object_type", "object_id", "due_date",
            "stage", "text", "link", "recipient", "unit", "assignment", "delivered",
        ]  # fmt: skip

    def get_delivered(self, reminder: Reminder) -> bool:
        return bool(reminder.digest_key)
