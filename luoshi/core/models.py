from django.db import models


class LoopHeartbeat(models.Model):
    """One row per background loop: when it last ran, and when it may run next.

    ``next_run_at`` doubles as the claim: a runner only runs a loop after moving
    ``next_run_at`` forward with a conditional update, so two runners never run the
    same step at once.
    """

    name = models.CharField("循环名称", max_length=64, primary_key=True)
    interval_seconds = models.PositiveIntegerField("间隔（秒）")
    next_run_at = models.DateTimeField("下次运行时间", null=True, blank=True)
    last_beat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    last_ok_at = models.DateTimeField("最近成功", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    last_result = models.CharField("最近结果", max_length=255, blank=True)
    runs = models.PositiveIntegerField("运行次数", default=0)

    class Meta:
        verbose_name = "后台循环心跳"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name
