"""Writing an office's reminder rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import Role
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.ledger.models import Assignment
from luoshi.reminders.models import ReminderPolicy
from luoshi.reminders.rules import Recipient, Rule, parse_stages
from luoshi.reminders.schedule import ACTIVE

NUMBERS = {
    "sign_after": (1, 30),
    "report_before": (1, 15),
    "overdue_every": (1, 30),
    "escalate_after": (1, 60),
    "milestone_before": (1, 15),
    "review_after": (1, 30),
    "extension_after": (1, 30),
}
FIELDS = ("enabled", "deadline_stages", *NUMBERS)


def reminder_policy_set(actor: Any, office: Any, data: dict[str, Any]) -> ReminderPolicy:
    """Save the office's rules; its open tasks are rescheduled by the next sweep."""
    if not access.covers(actor, {Role.OFFICE_ADMIN}, office):
        raise NotPermitted("只有督查室管理员可以修改提醒规则。")
    for name, (low, high) in NUMBERS.items():
        value = data.get(name)
        if not isinstance(value, int) or not low <= value <= high:
            label = getattr(ReminderPolicy._meta.get_field(name), "verbose_name", name)
            raise ServiceError(f"“{label}”应为 {low} 到 {high} 之间的整数。", field=name)
    try:
        stages = parse_stages(str(data.get("deadline_stages") or ""))
    except ValueError as exc:
        raise ServiceError(str(exc), field="deadline_stages") from None
    recipients: dict[str, list[str]] = {}
    valid = set(Recipient.values)
    for rule in Rule.values:
        chosen = [g for g in data.get("recipients", {}).get(rule, []) if g in valid]
        recipients[rule] = chosen
    silent = [str(Rule(r).label) for r, groups in recipients.items() if not groups]
    if silent and data.get("enabled", True):
        raise ServiceError(f"请为“{'、'.join(silent)}”至少选择一类提醒对象。", field="recipients")
    with transaction.atomic():
        policy, _ = ReminderPolicy.objects.select_for_update().get_or_create(office=office)
        for name in NUMBERS:
            setattr(policy, name, data[name])
        policy.enabled = bool(data.get("enabled", True))
        policy.deadline_stages = ",".join(str(s) for s in stages)
        policy.recipients = recipients
        policy.save()
        # New timings can bring reminders forward: look at every open task again today.
        Assignment.objects.filter(matter__office=office, status__in=ACTIVE).update(
            next_remind_on=timezone.localdate()
        )
    return policy
