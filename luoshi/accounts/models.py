from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

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
