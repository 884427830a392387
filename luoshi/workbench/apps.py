from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _recount(using: str = "default", **kwargs: Any) -> None:
    from luoshi.core.tallies import recount_after_migrate
    from luoshi.workbench import tally

    recount_after_migrate(tally.SPEC, using)


class WorkbenchConfig(AppConfig):
    name = "luoshi.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self) -> None:
        post_migrate.connect(_recount, sender=self, dispatch_uid="workbench_recount")
