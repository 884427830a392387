"""The reminder rules, their default timing and recipients.

Every rule counts in working days of the official calendar. A rule names who receives
it; ``RECIPIENTS`` are the groups an office can choose from.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    SIGN = "sign", _("签收提醒")
    REPORT = "report", _("反馈到期提醒")
    DEADLINE = "deadline", _("完成时限提醒")
    OVERDUE = "overdue", _("逾期提醒")
    ESCALATE = "escalate", _("逾期报告责任领导")
    MILESTONE = "milestone", _("节点到期提醒")
    REVIEW = "review", _("反馈待审核提醒")
    EXTENSION = "extension", _("延期待审批提醒")
    URGING = "urging", _("催办回复到期提醒")


class Recipient(models.TextChoices):
    LIAISON = "liaison", _("单位联络员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    LEADER = "leader", _("责任领导")
    OFFICE = "office", _("督查室工作人员")


DEFAULT_RECIPIENTS: dict[str, list[str]] = {
    Rule.SIGN: [Recipient.LIAISON, Recipient.UNIT_HEAD],
    Rule.REPORT: [Recipient.LIAISON],
    Rule.DEADLINE: [Recipient.LIAISON, Recipient.UNIT_HEAD],
    Rule.OVERDUE: [Recipient.LIAISON, Recipient.UNIT_HEAD, Recipient.OFFICE],
    Rule.ESCALATE: [Recipient.LEADER, Recipient.OFFICE],
    Rule.MILESTONE: [Recipient.LIAISON],
    Rule.REVIEW: [Recipient.OFFICE],
    # Pending with the office: office staff; pending with the leader: the leader.
    Rule.EXTENSION: [Recipient.OFFICE, Recipient.LEADER],
    Rule.URGING: [Recipient.LIAISON, Recipient.UNIT_HEAD],
}


def default_recipients() -> dict[str, list[str]]:
    return {rule: list(groups) for rule, groups in DEFAULT_RECIPIENTS.items()}


def parse_stages(raw: str) -> list[int]:
    """``"3,1,0"`` → ``[3, 1, 0]``: working days before a date, largest first."""
    try:
        stages = sorted({int(part) for part in raw.replace("，", ",").split(",") if part.strip()})
    except ValueError:
        raise ValueError("提醒节点应为以逗号分隔的工作日数，例如 3,1,0。") from None
    if not stages or any(s < 0 or s > 30 for s in stages):
        raise ValueError("提醒节点应为 0 到 30 之间的工作日数，例如 3,1,0。")
    return sorted(stages, reverse=True)
