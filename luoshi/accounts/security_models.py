"""Security policy, login attempts and locks, and password history (等保 2.0 三级)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from luoshi.accounts.roles import Role

# Level 3 asks for these at least; the 安全策略 page may tighten them, never loosen them.
# (field, default, minimum, maximum)
POLICY_LIMITS: dict[str, tuple[int, int, int]] = {
    "min_length": (8, 8, 64),
    "min_classes": (3, 3, 4),
    "max_age_days": (90, 1, 90),
    "history": (5, 5, 24),
    "lockout_threshold": (5, 3, 5),
    "lockout_minutes": (30, 1, 1440),
    "rate_limit": (20, 5, 100),
    "idle_minutes": (30, 5, 30),
    "absolute_hours": (12, 1, 12),
    "inactive_days": (90, 30, 90),
}
# The roles a second factor is always required for; the policy may add others.
REQUIRED_MFA_ROLES: tuple[str, ...] = (
    Role.OFFICE_ADMIN,
    Role.SYSADMIN,
    Role.SECADMIN,
    Role.AUDITOR,
)
# Hashes kept per account, whatever the policy's history is now, so it can be raised.
HISTORY_KEPT = POLICY_LIMITS["history"][2]


def _bounded(name: str, label: str, help_text: str) -> models.PositiveIntegerField:
    default, low, high = POLICY_LIMITS[name]
    return models.PositiveIntegerField(
        label,
        default=default,
        validators=[
            MinValueValidator(low, f"{label}不能小于 {low}。"),
            MaxValueValidator(high, f"{label}不能大于 {high}。"),
        ],
        help_text=f"{help_text}允许范围 {low}–{high}，默认 {default}。",
    )


class SecurityPolicy(models.Model):
    """The one row of security settings, edited by the security administrator."""

    min_length = _bounded("min_length", "密码最小长度", "密码至少包含的字符数。")
    min_classes = _bounded(
        "min_classes", "密码字符种类", "小写字母、大写字母、数字、符号四类中至少包含几类。"
    )
    max_age_days = _bounded("max_age_days", "密码有效期（天）", "超过后登录时须修改密码。")
    history = _bounded("history", "禁止重复使用的历史密码个数", "新密码不能与最近几次的相同。")
    lockout_threshold = _bounded(
        "lockout_threshold", "登录失败锁定次数", "同一用户名或同一地址连续失败达到该次数即锁定。"
    )
    lockout_minutes = _bounded(
        "lockout_minutes", "锁定时长（分钟）", "锁定期间即使密码正确也不能登录。"
    )
    rate_limit = _bounded("rate_limit", "每地址每分钟登录尝试上限", "超过后返回“请求过于频繁”。")
    idle_minutes = _bounded("idle_minutes", "空闲超时（分钟）", "无操作超过该时长自动退出。")
    absolute_hours = _bounded(
        "absolute_hours", "会话最长时长（小时）", "登录后无论是否操作，超过该时长须重新登录。"
    )
    inactive_days = _bounded(
        "inactive_days", "长期未用账户停用（天）", "超过该天数未登录的账户自动停用。"
    )
    mfa_roles = models.CharField(
        "须使用动态口令的角色",
        max_length=300,
        default=",".join(REQUIRED_MFA_ROLES),
        help_text="以逗号分隔的角色代码。督查室管理员和三员必须使用，可增加其他角色。",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return "安全策略"

    @property
    def mfa_role_set(self) -> frozenset[str]:
        return frozenset(r.strip() for r in self.mfa_roles.split(",") if r.strip())


def policy_field_text(name: str) -> tuple[str, str]:
    """The label and help text of a policy field, for forms and error messages."""
    field = SecurityPolicy._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name), str(field.help_text)


class LoginAttempt(models.Model):
    """One password submitted on the login page; kept 30 days."""

    at = models.DateTimeField("时间", db_index=True)
    username = models.CharField("用户名（输入）", max_length=150)
    # Lower-cased and trimmed: what lockout counts by, for known and unknown names alike.
    key = models.CharField("用户名（规范化）", max_length=150)
    address = models.CharField("地址", max_length=45, blank=True)
    success = models.BooleanField("成功", default=False)

    class Meta:
        verbose_name = "登录尝试"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["key", "at"], name="loginattempt_key_at"),
            models.Index(fields=["address", "at"], name="loginattempt_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.address}"


class LoginLock(models.Model):
    """The lock state of one account name or one address; one row each, claimed by update."""

    class Scope(models.TextChoices):
        USERNAME = "username", "用户名"
        ADDRESS = "address", "地址"

    scope = models.CharField("类型", max_length=10, choices=Scope.choices)
    key = models.CharField("用户名或地址", max_length=150)
    # Failures before this moment no longer count (a lock ended, an unlock, a good login).
    counted_from = models.DateTimeField("计数起点", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "登录锁定"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="loginlock_unique_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key}"


class PasswordHistory(models.Model):
    """A password hash an account had; new passwords may not repeat the latest ones."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间")

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="passwordhistory_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
