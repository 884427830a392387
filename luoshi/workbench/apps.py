from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _recount(using: str = "default", **kwargs: Any) -> None:
    """Every ``migrate`` recounts the tasks (``tally.rebuild``): a load with triggers off
    may have happened since (bench/bulk.py loads so)."""
    from django.db import connections

    from luoshi.workbench import tally

    tables = connections[using].introspection.table_names()
    if tally.TABLE in tables and "ledger_assignment" in tables:
        tally.rebuild(using)


class WorkbenchConfig(AppConfig):
    name = "luoshi.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self) -> None:
        post_migrate.connect(_recount, sender=self, dispatch_uid="workbench_recount")
