"""Which rows of the unit ranking a page shows.

A province ranks some 1,500 lead units: the dashboard lists the whole ranking only when it is
short, otherwise the head and the tail (the units to praise and the units to name, 红黑榜),
with a link to the full ranking, a page of ``PAGE_SIZE`` units at a time, and to the Excel
export, which always holds every unit. The ranks are always the ranks in the full ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from luoshi.stats.figures import UnitFigures

SHOW_ALL_UP_TO = 50  # a city's departments fit on the dashboard
HEAD = TAIL = 20
PAGE_SIZE = 50


@dataclass(frozen=True)
class Shown:
    total: int  # units in the ranking
    ranks: list[int]  # the 1-based ranks shown, ascending

    @property
    def hidden(self) -> int:
        return self.total - len(self.ranks)

    @property
    def head(self) -> int:
        return HEAD

    @property
    def tail(self) -> int:
        return TAIL


def on_dashboard(total: int) -> Shown:
    if total <= SHOW_ALL_UP_TO:
        return Shown(total, list(range(1, total + 1)))
    return Shown(total, [*range(1, HEAD + 1), *range(total - TAIL + 1, total + 1)])


def mark_gaps(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark the row after a run of ranks left out with that run (``gap`` = (first, last))."""
    previous = 0
    for row in rows:
        if row["rank"] > previous + 1:
            row["gap"] = (previous + 1, row["rank"] - 1)
        previous = row["rank"]
    return rows


def matching(units: list[UnitFigures], name: str) -> list[int]:
    """The ranks of the units whose name contains ``name`` (every rank without one)."""
    name = name.strip()
    return [rank for rank, u in enumerate(units, start=1) if not name or name in u.unit_name]
