"""The task counts the database keeps (``TaskTally``): read, fold, rebuild.

Triggers on ledger_assignment (migration 0001) keep the tallies whatever writes the tasks:
services, ``QuerySet.update`` (the nightly lights pass), bulk inserts, deletes. What they
cannot see is a load with triggers off (PostgreSQL's ``session_replication_role = replica``,
as bench/bulk.py loads): ``rebuild`` then recounts, and ``migrate`` runs it every time
(apps.py), so a deployment or a benchmark never starts from stale counts.

Only a user whose scope is every task (the city's office) is counted from here; any other
scope, or any other filter, is counted from the tasks themselves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from luoshi.core import tallies
from luoshi.workbench.models import TaskTally

TABLE = TaskTally._meta.db_table
# Its triggers are migration 0001's own SQL (it predates ``luoshi.core.tallies``); reading,
# folding and recounting are that module's. The name is unused: nothing installs from here.
SPEC = tallies.TallySpec(
    name="workbench_tally",
    table=TABLE,
    source="ledger_assignment",
    keys=("lead_unit_id", "status", "light"),
    lock=0x7A11_7A11,
    exprs=(("lead_unit_id", "COALESCE({}, 0)"),),
)


@dataclass(frozen=True)
class Tallies:
    """Tasks per (status, light), over every lead unit."""

    counts: dict[tuple[str, str], int]

    def total(
        self,
        statuses: Iterable[str] | None = None,
        lights: Iterable[str] | None = None,
        but_status: str | None = None,
    ) -> int:
        wanted_s = set(statuses) if statuses is not None else None
        wanted_l = set(lights) if lights is not None else None
        return sum(
            n
            for (status, light), n in self.counts.items()
            if (wanted_s is None or status in wanted_s)
            and (wanted_l is None or light in wanted_l)
            and status != but_status
        )


class Once:
    """The tallies, read at most once: for a page that shows several figures from them."""

    def __init__(self) -> None:
        self._read: Tallies | None = None

    def __call__(self) -> Tallies:
        if self._read is None:
            self._read = read()
        return self._read


def read() -> Tallies:
    rows = tallies.sums(SPEC, TaskTally.objects.all(), "status", "light")
    return Tallies({(status, light): n for status, light, n in rows})


def by_unit(statuses: Iterable[str]) -> dict[int | None, dict[str, int]]:
    """Tasks in ``statuses`` per lead unit id (None: none yet), per light."""
    filtered = TaskTally.objects.filter(status__in=list(statuses))
    rows = tallies.sums(SPEC, filtered, "lead_unit_id", "light")
    found: dict[int | None, dict[str, int]] = {}
    for unit, light, total in rows:
        found.setdefault(unit or None, {})[light] = total
    return found


def fold() -> None:
    tallies.fold(SPEC)


def rebuild(using: str = "default") -> None:
    tallies.rebuild(SPEC, using)
