from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县")
    DEPARTMENT = "department", _("部门")
    TOWNSHIP = "township", _("乡镇（街道）")
    OFFICE = "office", _("内设机构")
    OTHER = "other", _("其他")


class Unit(models.Model):
    """An organisation in the tree: city → districts → departments → townships/offices.

    ``path`` is the materialised chain of ids ("/1/7/23/") so that a subtree is one
    indexed prefix query; it is maintained by the services in ``org.services`` only.
    """

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = verbose_name
        ordering = ["depth", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="unit_unique_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def is_descendant_of(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class ImportBatch(models.Model):
    """An uploaded unit/user sheet: parsed and checked first, saved only on confirmation."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        APPLIED = "applied", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="import_batches"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    filename = models.CharField("文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )
    rows = models.JSONField("解析结果", default=dict)
    error_count = models.PositiveIntegerField("错误数", default=0)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)
    summary = models.CharField("结果", max_length=255, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"
