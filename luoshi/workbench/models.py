"""Counts of tasks kept by the database itself, for the pages that show them over the whole
ledger (工作台, 亮灯情况, the office's task list): counting a million tasks per request is
too slow at province scale; adding up a few thousand tallies is not."""

from __future__ import annotations

from django.db import models


class TaskTally(models.Model):
    """How many tasks (``ledger.Assignment``) a lead unit has in a status with a light.

    Triggers on ledger_assignment keep it (migration 0001; see ``luoshi.workbench.tally``):
    on SQLite one row per (unit, status, light), updated in place; on PostgreSQL each
    statement appends the change it made (+n, −n) instead of updating shared rows, which
    would make concurrent transactions wait for each other or deadlock, and the rows are
    folded together from time to time. A task's count is the sum of ``n``."""

    lead_unit_id = models.IntegerField("牵头单位", default=0)  # 0: no lead unit yet
    status = models.CharField("状态", max_length=24)
    light = models.CharField("亮灯", max_length=8, blank=True)
    n = models.BigIntegerField("任务数")
    # A row ``tally.fold`` wrote; the triggers' rows are not (PostgreSQL folds them once
    # there are enough).
    folded = models.BooleanField("已归并", db_default=False)

    class Meta:
        verbose_name = "任务计数"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.lead_unit_id} {self.status} {self.light or '—'}: {self.n}"
