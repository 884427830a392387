from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetImport(models.Model):
    """An uploaded 责任分解表: read and checked first, saved only on confirmation, once."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        APPLIED = "applied", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sheet_imports"
    )
    office = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    filename = models.CharField("文件名", max_length=255)
    year = models.PositiveSmallIntegerField("年度")
    default_source = models.CharField("默认事项来源", max_length=16)
    default_category = models.CharField("督查类别", max_length=16)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )
    # The sheet as read (text only) and the result of the last check against the database.
    raw = models.JSONField("表格内容", default=dict)
    plan = models.JSONField("检查结果", default=dict)
    error_count = models.PositiveIntegerField("问题数", default=0)
    matter_count = models.PositiveIntegerField("事项数", default=0)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)
    created_matters = models.JSONField("导入的事项", default=list, blank=True)

    class Meta:
        verbose_name = "责任分解表导入"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"
