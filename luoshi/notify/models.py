"""Messages to people: in-app notifications, the outbox every channel delivers from,
each delivery attempt, per-user channel preferences and the configured gateways."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


# Messages on these channels reach a phone and wait for working hours.
QUIET_CHANNELS = frozenset({Channel.SMS, Channel.WECOM, Channel.DINGTALK})
ROBOT_CHANNELS = frozenset({Channel.WECOM, Channel.DINGTALK})


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("已取消")


# What a message is about, for the administrator's pages.
KIND_LABELS = {
    "digest": "督办提醒汇总",
    "urging": "催办督办",
    "test": "测试消息",
}


class ChannelConfig(models.Model):
    """A gateway: the SMS gateway, or a group robot of 企业微信 / 钉钉 for a unit's group."""

    kind = models.CharField("渠道", max_length=16, choices=Channel.choices)
    name = models.CharField("名称", max_length=100)
    url = models.URLField("地址", max_length=500)
    secret = models.CharField("密钥", max_length=200, blank=True)
    # A robot posts the daily digest of this unit's tasks into its group; the SMS gateway
    # has no unit.
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="所属单位（工作群）",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
    )
    enabled = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "消息渠道"
        verbose_name_plural = verbose_name
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"


class NotificationPreference(models.Model):
    """Which channels a person wants besides the in-app bell (always on)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="notify_preference")
    email = models.BooleanField("电子邮件", default=True)
    sms = models.BooleanField("短信", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.user} 通知偏好"


class Outbox(models.Model):
    """One message to deliver on one channel, written in the transaction of its cause.

    ``key`` is unique: the same reminder (object, rule, due date, recipient, channel) can
    only ever be queued once, whichever runner or retry tries again.
    """

    key = models.CharField(max_length=255, unique=True)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    user = models.ForeignKey(
        USER, verbose_name="收件人", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    robot = models.ForeignKey(
        ChannelConfig, verbose_name="群机器人", on_delete=models.CASCADE, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    kind = models.CharField("类型", max_length=32)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    not_before = models.DateTimeField("最早发送时间")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    claim_token = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "待发消息"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "not_before"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class DeliveryAttempt(models.Model):
    """Every try at delivering an outbox row, successful or not."""

    outbox = models.ForeignKey(Outbox, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField("时间", auto_now_add=True)
    ok = models.BooleanField("成功")
    detail = models.CharField("结果", max_length=255, blank=True)
    error = models.TextField("错误", blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", default=0)
    runner = models.CharField("执行者", max_length=64, blank=True)

    class Meta:
        verbose_name = "投递记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {'成功' if self.ok else '失败'}"


class Notification(models.Model):
    """A message in a person's bell. ``items`` lists the lines of a digest with their links."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    outbox = models.OneToOneField(
        Outbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    kind = models.CharField("类型", max_length=32)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    items = models.JSONField("条目", default=list, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
