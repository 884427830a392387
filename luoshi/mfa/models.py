"""The second factor of an account: one TOTP device and its ten single-use recovery codes.

Neither model shows its secret in ``str()`` or in the admin, so it never reaches a log line,
an error page or an audit record by accident."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TotpDevice(models.Model):
    """An authenticator app bound to an account; unconfirmed until a first correct code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="totp_device",
    )
    secret = models.CharField("密钥", max_length=64, editable=False)
    confirmed_at = models.DateTimeField("绑定时间", null=True, blank=True)
    # The newest 30-second step a code was accepted for: a code is good once only, and
    # never for a step older than one already used (replay protection).
    last_used_step = models.BigIntegerField("最近使用的时间步", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        state = "已绑定" if self.confirmed_at else "待确认"
        return f"用户 {self.user_id} 的动态口令（{state}）"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for when the phone is not at hand; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField("恢复码哈希", max_length=128, editable=False)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["user", "used_at"], name="recoverycode_user_used")]

    def __str__(self) -> str:
        return f"用户 {self.user_id} 的恢复码 {self.pk}"
