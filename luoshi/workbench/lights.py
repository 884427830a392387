"""亮灯情况: the lights of open tasks counted per lead unit, and a leader's matters red first.
Each is one aggregate query over what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse

from luoshi.ledger.filters import late_report_q
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.selectors import assignment_queryset_for
from luoshi.ledger.states import FINISHED_MATTER_STATES, LIGHT_RANK, OPEN_ASSIGNMENT_STATES, Light
from luoshi.workbench.todo import leader_matters_q


@dataclass
class UnitRow:
    unit_id: int | None
    name: str
    open: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    late: int = 0

    def link(self, **params: str) -> str:
        query = {"unit": str(self.unit_id)} if self.unit_id else {}
        query.update(params)
        return f"{reverse('ledger:assignments')}?{urlencode(query)}"

    @property
    def open_url(self) -> str:
        return self.link()

    @property
    def red_url(self) -> str:
        return self.link(light=Light.RED)

    @property
    def yellow_url(self) -> str:
        return self.link(light=Light.YELLOW)

    @property
    def green_url(self) -> str:
        return self.link(light=Light.GREEN)

    @property
    def late_url(self) -> str:
        return self.link(late="1")


def open_tasks(user: Any) -> QuerySet[Assignment]:
    return assignment_queryset_for(user).filter(status__in=OPEN_ASSIGNMENT_STATES)


def _counts(today: date) -> dict[str, Any]:
    return {
        "open": Count("id"),
        "red": Count("id", filter=Q(light=Light.RED)),
        "yellow": Count("id", filter=Q(light=Light.YELLOW)),
        "green": Count("id", filter=Q(light=Light.GREEN)),
        "late": Count("id", filter=late_report_q(today)),
    }


def unit_rows(user: Any, today: date) -> tuple[list[UnitRow], UnitRow]:
    """One row per lead unit with open tasks, worst first, and the totals."""
    grouped = (
        open_tasks(user)
        .order_by()
        .values("lead_unit_id", "lead_unit__name")
        .annotate(**_counts(today))
    )
    found: list[dict[str, Any]] = [dict(g) for g in grouped]
    rows = [
        UnitRow(g["lead_unit_id"], g["lead_unit__name"] or "（未定牵头单位）",
                g["open"], g["red"], g["yellow"], g["green"], g["late"])
        for g in found
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.red, -r.yellow, -r.late, r.name))
    total = UnitRow(None, "合计")
    for r in rows:
        total.open += r.open
        total.red += r.red
        total.yellow += r.yellow
        total.green += r.green
        total.late += r.late
    return rows, total


def totals(user: Any, today: date) -> UnitRow:
    """The same counts over all units, for the 工作台 (one query)."""
    got = open_tasks(user).order_by().aggregate(**_counts(today))
    return UnitRow(None, "合计", got["open"], got["red"], got["yellow"], got["green"],
                   got["late"])  # fmt: skip


def _light_rank() -> Case:
    return Case(
        *[When(light=light, then=Value(rank)) for light, rank in LIGHT_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def leader_matters(user: Any, *, whole_scope: bool = False) -> QuerySet[Matter]:
    """The open matters a leader supervises (or, with ``whole_scope``, every matter he may
    decide on), red first, then by deadline."""
    q = leader_matters_q(user) if whole_scope else Q(supervising_leader=user)
    return (
        Matter.objects.filter(q)
        .exclude(status__in=FINISHED_MATTER_STATES)
        .annotate(light_rank=_light_rank())
        .order_by("-light_rank", F("due_date").asc(nulls_last=True), "id")
    )


def light_counts(qs: QuerySet[Matter]) -> dict[str, int]:
    rows = qs.order_by().values_list("light").annotate(n=Count("id"))
    return {light or "": n for light, n in rows}
