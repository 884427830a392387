"""催办单 and 督办通知: a numbered written demand from the office to one unit of a task, with
a reply deadline; the unit replies in the system and the office accepts or returns it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from luoshi.urging.states import AWAITING_REPLY, UrgingKind, UrgingStatus

USER = settings.AUTH_USER_MODEL


class UrgingNotice(models.Model):
    office = models.ForeignKey(
        "org.Unit", verbose_name="督查机构", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        "类型", max_length=8, choices=UrgingKind.choices, default=UrgingKind.URGE
    )
    year = models.PositiveSmallIntegerField("年度")
    number = models.CharField("编号", max_length=64)
    assignment = models.ForeignKey(
        "ledger.Assignment",
        verbose_name="承办任务",
        on_delete=models.CASCADE,
        related_name="urgings",
    )
    # Denormalised from the assignment: lists and counts filter by matter without a join.
    matter = models.ForeignKey(
        "ledger.Matter", verbose_name="督查事项", on_delete=models.CASCADE, related_name="urgings"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="被催办单位", on_delete=models.PROTECT, related_name="urgings"
    )
    text = models.TextField("催办要求")
    reply_due = models.DateField("回复时限")
    status = models.CharField(
        "状态", max_length=16, choices=UrgingStatus.choices, default=UrgingStatus.ISSUED
    )
    version = models.PositiveIntegerField(default=1)
    issued_by = models.ForeignKey(
        USER, verbose_name="发出人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("发出时间")
    reply_text = models.TextField("回复内容", blank=True)
    replied_by = models.ForeignKey(
        USER,
        verbose_name="回复人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    # Stored on each reply: the latest reply came after the reply deadline.
    replied_late = models.BooleanField("逾期回复", default=False)
    # How many times the office returned a reply; also keys the return notifications.
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    review_comment = models.TextField("督查室意见", blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("处理时间", null=True, blank=True)
    cancel_reason = models.TextField("撤回原因", blank=True)
    cancelled_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField("撤回时间", null=True, blank=True)
    read_at = models.DateTimeField("签阅时间", null=True, blank=True)
    read_by = models.ForeignKey(
        USER,
        verbose_name="签阅人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "催办督办"
        verbose_name_plural = verbose_name
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["status", "reply_due"], name="urging_status_due"),
            models.Index(fields=["unit", "year"], name="urging_unit_year"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="urging_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.unit_id}"

    @property
    def awaiting_reply(self) -> bool:
        return self.status in AWAITING_REPLY

    @property
    def overdue(self) -> bool:
        """逾期未回复: still waiting for the unit after the reply deadline."""
        return self.awaiting_reply and timezone.localdate() > self.reply_due

    @property
    def title(self) -> str:
        """The document's name as printed: 督办通知 or 催办单."""
        return str(UrgingKind(self.kind).label)
