from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _recount(using: str = "default", **kwargs: Any) -> None:
    """Every ``migrate`` recounts the matters (``tally.recount``): a load with triggers off
    may have happened since (bench/bulk.py loads so)."""
    from django.db import connections

    from luoshi.ledger import tally

    tables = connections[using].introspection.table_names()
    if tally.SPEC.table in tables and tally.SPEC.source in tables:
        tally.recount(using)


class LedgerConfig(AppConfig):
    name = "luoshi.ledger"
    label = "ledger"
    verbose_name = "督查事项台账"

    def ready(self) -> None:
        post_migrate.connect(_recount, sender=self, dispatch_uid="ledger_recount")
