"""统计快照: a dashboard's figures kept for a few minutes at province scale (``snapshot``)."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class Snapshot(models.Model):
    """The figures of one dashboard (a scope as one kind of viewer sees it, on one day), as
    computed at ``computed_at``; ``snapshot.get`` serves them while they are fresh."""

    key = models.CharField("统计口径", max_length=200, unique=True)
    computed_at = models.DateTimeField("数据截至")
    seconds = models.FloatField("计算耗时（秒）")
    data = models.JSONField("统计数据", encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "统计快照"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.key} @ {self.computed_at:%Y-%m-%d %H:%M}"
