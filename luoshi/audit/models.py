"""The audit log: append-only, each record chained to the previous one by its hash."""

from __future__ import annotations

from django.db import models

from luoshi.audit.events import Event


class AuditRecord(models.Model):
    """One audited event. Never updated; deleted only by the retention purge.

    Who did it is copied as plain values (not foreign keys), so that renaming or removing
    an account never rewrites history, and the hash covers what was true at the time.
    """

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    user_id = models.BigIntegerField("用户 ID", null=True, blank=True, db_index=True)
    username = models.CharField("用户名", max_length=150, blank=True)
    user_name = models.CharField("姓名", max_length=50, blank=True)
    unit_name = models.CharField("单位", max_length=200, blank=True)
    roles = models.CharField("角色", max_length=200, blank=True)
    address = models.CharField("地址", max_length=45, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)
    method = models.CharField("请求方法", max_length=10, blank=True)
    path = models.CharField("请求路径", max_length=500, blank=True)
    # No ``choices``: a new event type must not need a migration of a table that may hold
    # millions of rows; labels come from ``Event``.
    event = models.CharField("事件", max_length=40, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象 ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    success = models.BooleanField("成功", default=True)
    status_code = models.PositiveSmallIntegerField("响应状态", null=True, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    detail = models.TextField("说明", blank=True)
    prev_hash = models.CharField("上一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = verbose_name
        ordering = ["-seq"]
        indexes = [models.Index(fields=["event", "at"]), models.Index(fields=["username", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_event_display()} {self.username}"

    def get_event_display(self) -> str:
        try:
            return str(Event(self.event).label)
        except ValueError:
            return self.event


class AuditHead(models.Model):
    """The end of the chain: one row, locked while a record is appended, so that two
    writers (threads, processes) never chain to the same predecessor."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"#{self.seq}"
