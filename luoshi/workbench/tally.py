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

from django.db import connection, connections, transaction
from django.db.models import Count, Q, Sum

from luoshi.workbench.models import TaskTally

TABLE = TaskTally._meta.db_table
# PostgreSQL appends a row per change: fold them once there are this many, so that reading
# stays a scan of a few thousand rows (a count per unit, status and light).
FOLD_AFTER = 5000
_FOLD_LOCK = 0x7A11_7A11  # pg_try_advisory_xact_lock key: one folder at a time


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
    rows = (
        TaskTally.objects.order_by()
        .values_list("status", "light")
        .annotate(total=Sum("n"), loose=Count("id", filter=Q(folded=False)))
    )
    counts: dict[tuple[str, str], int] = {}
    loose = 0
    for status, light, total, n_loose in rows:
        loose += n_loose
        if total:
            counts[(status, light)] = total
    if loose > FOLD_AFTER:
        fold()
    return Tallies(counts)


def by_unit(statuses: Iterable[str]) -> dict[int | None, dict[str, int]]:
    """Tasks in ``statuses`` per lead unit id (None: none yet), per light."""
    rows = (
        TaskTally.objects.filter(status__in=list(statuses))
        .order_by()
        .values_list("lead_unit_id", "light")
        .annotate(total=Sum("n"))
    )
    found: dict[int | None, dict[str, int]] = {}
    for unit, light, total in rows:
        if total:
            found.setdefault(unit or None, {})[light] = total
    return found


def fold() -> None:
    """Add up each count's rows into one (PostgreSQL; SQLite keeps one row per count). One
    statement deletes the rows it sums, so changes written meanwhile are neither lost nor
    counted twice; a second folder at the same time skips."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT pg_try_advisory_xact_lock(%s)", [_FOLD_LOCK])
        if not c.fetchone()[0]:
            return
        c.execute(
            f"WITH gone AS (DELETE FROM {TABLE} RETURNING lead_unit_id, status, light, n) "  # noqa: S608
            f"INSERT INTO {TABLE} (lead_unit_id, status, light, n, folded) "
            "SELECT lead_unit_id, status, light, SUM(n), TRUE FROM gone GROUP BY 1, 2, 3 "
            "HAVING SUM(n) <> 0"
        )


def rebuild(using: str = "default") -> None:
    """Count every task again. Writers wait meanwhile (PostgreSQL: a SHARE lock on the
    tasks), so that no change is counted twice or lost."""
    with transaction.atomic(using), connections[using].cursor() as c:
        if connections[using].vendor == "postgresql":
            c.execute("LOCK TABLE ledger_assignment IN SHARE MODE")
        c.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        c.execute(
            f"INSERT INTO {TABLE} (lead_unit_id, status, light, n) "  # noqa: S608
            "SELECT COALESCE(lead_unit_id, 0), status, light, COUNT(*) FROM ledger_assignment "
            "GROUP BY 1, 2, 3"
        )
