from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from luoshi.accounts.roles import SEPARATED_ADMIN_ROLES, Role


class User(AbstractUser):
    """An account; it belongs to exactly one unit and holds roles through ``RoleGrant``."""

    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="users"
    )
    title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    # The start of the password's life for the maximum-age rule and of an account's life
    # for the inactivity rule; existing rows were stamped when the column was added.
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    # When an administrator last re-enabled the account (the inactivity rule restarts).
    enabled_at = models.DateTimeField("启用时间", null=True, blank=True)

    REQUIRED_FIELDS = ["name", "unit"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name
        ordering = ["unit_id", "username"]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class RoleGrant(models.Model):
    """A role held by a user over a unit and everything under it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="授权范围", on_delete=models.PROTECT, related_name="grants"
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="rolegrant_unique_user_role_unit"
            ),
            # 三员分立 enforced by the database, not only by the service.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role__in=sorted(SEPARATED_ADMIN_ROLES)),
                name="rolegrant_one_separated_admin_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


# The security models live in their own module to keep this one about identities.
from luoshi.accounts.security_models import (  # noqa: E402
    LoginAttempt,
    LoginLock,
    PasswordHistory,
    SecurityPolicy,
)

__all__ = ["LoginAttempt", "LoginLock", "PasswordHistory", "RoleGrant", "SecurityPolicy", "User"]
