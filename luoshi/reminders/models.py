"""An office's reminder rules, and the reminders fired (one row per object, rule, due date,
stage and recipient: the row's uniqueness is what makes a reminder fire only once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from luoshi.reminders.rules import Rule, default_recipients


class ReminderPolicy(models.Model):
    """提醒规则 of one supervision office. Counts are working days."""

    office = models.OneToOneField(
        "org.Unit", on_delete=models.CASCADE, related_name="reminder_policy"
    )
    enabled = models.BooleanField("启用自动提醒", default=True)
    sign_after = models.PositiveSmallIntegerField("交办后未签收提醒（工作日）", default=1)
    report_before = models.PositiveSmallIntegerField(
        "反馈到期前提醒（工作日，当日另提醒）", default=2
    )
    deadline_stages = models.CharField(
        "完成时限前提醒节点（工作日）", max_length=40, default="3,1,0"
    )
    overdue_every = models.PositiveSmallIntegerField("逾期后每隔几个工作日提醒", default=3)
    escalate_after = models.PositiveSmallIntegerField("逾期几个工作日后报告责任领导", default=5)
    milestone_before = models.PositiveSmallIntegerField(
        "节点到期前提醒（工作日，当日另提醒）", default=2
    )
    review_after = models.PositiveSmallIntegerField("反馈待审核几个工作日后提醒督查室", default=2)
    extension_after = models.PositiveSmallIntegerField("延期申请待审批几个工作日后提醒", default=2)
    recipients = models.JSONField("各规则的提醒对象", default=default_recipients)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "提醒规则"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.office} 提醒规则"

    def groups(self, rule: str) -> list[str]:
        chosen = self.recipients.get(rule) if isinstance(self.recipients, dict) else None
        return list(chosen) if chosen is not None else default_recipients().get(rule, [])


class Reminder(models.Model):
    """A reminder fired for one recipient; gathered into that person's daily digest."""

    rule = models.CharField("规则", max_length=16, choices=Rule.choices)
    object_type = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    # The date the reminder is about (deadline, report due date, reply due date …) and the
    # stage: working days before it (positive), or overdue by (negative).
    due_date = models.DateField("时限")
    stage = models.SmallIntegerField("节点", default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    # Indexed by ``reminder_office_day`` (office first), as every reading is an office's log;
    # each index costs every reminder insert and digest claim.
    office = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    assignment = models.ForeignKey(
        "ledger.Assignment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    fired_on = models.DateField("提醒日期")
    text = models.CharField("提醒内容", max_length=300)
    link = models.CharField("链接", max_length=300, blank=True)
    digest_key = models.CharField("汇总消息", max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督办提醒"
        verbose_name_plural = verbose_name
        ordering = ["-fired_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "rule", "due_date", "stage", "recipient"],
                name="reminder_once",
            )
        ]
        indexes = [
            models.Index(fields=["digest_key", "recipient"], name="reminder_undigested"),
            models.Index(fields=["office", "fired_on"], name="reminder_office_day"),
        ]

    def __str__(self) -> str:
        return self.text
