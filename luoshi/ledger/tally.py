"""The ledger's status and light tabs from the kept matter counts (``MatterTally``).

Counting the tabs over a province's 200,000 matters is a scan of an index every time the
office opens the ledger (34 ms of a 50 ms page on PostgreSQL). When the user sees every
matter and filters by nothing but the counted columns (year, source, category, priority,
status, light), the tally answers instead: a sum over a few hundred rows. Any other filter,
or a narrower view, is counted from the matters as before."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from luoshi.core.tallies import TallySpec, rebuild, sums
from luoshi.ledger.models import MatterTally

SPEC = TallySpec(
    name="ledger_matter_tally",
    table=MatterTally._meta.db_table,
    source="ledger_matter",
    keys=("year", "source", "category", "priority", "status", "light"),
    lock=0x7A11_3A77,
)
# Filters the tally can apply (status and light are left out by the caller for the tabs).
COUNTED = frozenset({"year", "source", "category", "priority", "status", "light"})
IGNORED = frozenset({"sort"})  # not a filter


def answers(data: dict[str, Any]) -> bool:
    """True when every filter in force is one the tally holds."""
    return all(key in COUNTED or key in IGNORED or value in (None, "", [])
               for key, value in data.items())  # fmt: skip


def grid(data: dict[str, Any]) -> list[tuple[str, str, int]]:
    """Matters per (status, light) under ``data``'s year, source, category and priority, as
    ``filters.status_light_counts`` reads them from the matters."""
    q = Q()
    for key in ("year", "source", "category", "priority"):
        if data.get(key):
            q &= Q(**{key: data[key]})
    return sums(SPEC, MatterTally.objects.filter(q), "status", "light")


def recount(using: str = "default") -> None:
    rebuild(SPEC, using)
