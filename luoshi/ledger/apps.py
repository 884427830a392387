from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _recount(using: str = "default", **kwargs: Any) -> None:
    from luoshi.core.tallies import recount_after_migrate
    from luoshi.ledger import tally

    recount_after_migrate(tally.SPEC, using)


class LedgerConfig(AppConfig):
    name = "luoshi.ledger"
    label = "ledger"
    verbose_name = "督查事项台账"

    def ready(self) -> None:
        post_migrate.connect(_recount, sender=self, dispatch_uid="ledger_recount")
