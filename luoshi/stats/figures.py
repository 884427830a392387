"""The statistics' figures: counts and rates of assigned tasks, overall and per lead unit.

Every figure is an SQL aggregate (``Count(filter=...)``) over the tasks a ``Scope`` selects,
with the same conditions the task list's drill-down ``flag`` applies
(``luoshi.ledger.filters.task_flag_q``), so that a figure and the list behind it agree.
Three grouped queries (tasks, lead reports, the office's reviews; each one pass, grouped by
lead unit) give every unit's figures, and the overall figures are their sums: ``summary``
returns both, whatever the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from luoshi.followup.models import ProgressReport
from luoshi.ledger.filters import REVIEW_ACTIONS, on_time_q, overdue_q, signed_on_time_q
from luoshi.ledger.models import Assignment, MatterEvent
from luoshi.ledger.states import AssignmentStatus, Light
from luoshi.org.models import Unit
from luoshi.stats.nojit import no_jit
from luoshi.stats.scope import Scope, matters_in_scope, prefixed, task_q, tasks_in_scope

__all__ = ["Figures", "Rate", "Scope", "UnitFigures", "by_unit", "matters_in_scope",
           "overall", "summary", "tasks_in_scope"]  # fmt: skip

LIGHTS = (Light.RED.value, Light.YELLOW.value, Light.GREEN.value)
NO_UNIT = "（未定牵头单位）"


@dataclass
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def display(self) -> str:
        """Like "85.7%", or "—" when nothing was counted."""
        pct = self.percent
        return "—" if pct is None else f"{pct:g}%"

    @property
    def fraction(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    def as_dict(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator,
                "percent": self.percent}  # fmt: skip


@dataclass
class Figures:
    tasks: int
    completed: int
    overdue: int
    completion: Rate  # 办结率: completed / tasks
    on_time: Rate  # 按期办结率: completed on or before due_date / completed
    overdue_rate: Rate  # 逾期率: overdue / tasks
    sign_on_time: Rate  # 签收及时率: signed by sign_due (local date) / signed
    report_on_time: Rate  # 反馈及时率: lead reports not late / lead reports submitted
    returned: Rate  # 退回率: reports the office returned / reports the office decided
    lights: dict[str, int]  # tasks per light (only open tasks are lit)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "completed": self.completed,
            "overdue": self.overdue,
            **{name: getattr(self, name).as_dict() for name in RATE_NAMES},
            "lights": dict(self.lights),
        }


@dataclass
class UnitFigures(Figures):
    unit_id: int
    unit_name: str

    def as_dict(self) -> dict[str, Any]:
        return {"unit_id": self.unit_id, "unit_name": self.unit_name, **super().as_dict()}


# The rates in the order the dashboard, the API and the export show them.
RATE_NAMES = ("completion", "on_time", "overdue_rate", "sign_on_time", "report_on_time",
              "returned")  # fmt: skip
RATE_LABELS = {
    "completion": "办结率",
    "on_time": "按期办结率",
    "overdue_rate": "逾期率",
    "sign_on_time": "签收及时率",
    "report_on_time": "反馈及时率",
    "returned": "退回率",
}


def _task_counts(today: date) -> dict[str, Any]:
    return {
        "tasks": Count("id"),
        "completed": Count("id", filter=Q(status=AssignmentStatus.COMPLETED)),
        "on_time": Count("id", filter=on_time_q()),
        "overdue": Count("id", filter=overdue_q(today)),
        "signed": Count("id", filter=Q(signed_at__isnull=False)),
        "signed_on_time": Count("id", filter=signed_on_time_q()),
        **{light: Count("id", filter=Q(light=light)) for light in LIGHTS},
    }


COUNT_KEYS = ("tasks", "completed", "on_time", "overdue", "signed", "signed_on_time", *LIGHTS,
              "reports", "reports_on_time", "reviews", "returns")  # fmt: skip
UNIT = "assignment__lead_unit_id"


@no_jit
def _unit_counts(scope: Scope, today: date) -> dict[int | None, dict[str, int]]:
    """Every count per lead unit (``None``: no lead unit yet), in three grouped queries. The
    reports and the reviews reach the tasks' conditions through their join to the task."""
    rows: dict[int | None, dict[str, int]] = {}
    in_scope = task_q(scope)
    through_task = prefixed(in_scope, "assignment__")
    tasks = Assignment.objects.filter(in_scope).order_by().values("lead_unit_id")
    for g in tasks.annotate(**_task_counts(today)):
        counts: dict[str, Any] = dict(g)
        rows[counts.pop("lead_unit_id")] = counts
    reports = (
        ProgressReport.objects.filter(through_task, kind=ProgressReport.LEAD)
        .order_by()
        .values(UNIT)
        .annotate(reports=Count("*"), reports_on_time=Count("late", filter=Q(late=False)))
    )
    # The office's decisions on lead reports: each accept or return is one event (the unit
    # head's returns before the office are not the office's review).
    reviews = (
        MatterEvent.objects.filter(through_task, action__in=REVIEW_ACTIONS)
        .order_by()
        .values(UNIT)
        .annotate(reviews=Count("*"), returns=Count("action", filter=Q(action="report_return")))
    )
    # Counting only (assignment, late) and (assignment, action), which their partial indexes
    # hold: the database reads the indexes alone, not the reports' and events' rows.
    for part in (reports, reviews):
        for g in part:
            counts = dict(g)
            # A report's or review's task is in scope, so its unit already has a row.
            rows.setdefault(counts.pop(UNIT), {}).update(counts)
    return rows


def _kwargs(c: dict[str, Any]) -> dict[str, Any]:
    def n(key: str) -> int:
        return int(c.get(key) or 0)

    return {
        "tasks": n("tasks"),
        "completed": n("completed"),
        "overdue": n("overdue"),
        "completion": Rate(n("completed"), n("tasks")),
        "on_time": Rate(n("on_time"), n("completed")),
        "overdue_rate": Rate(n("overdue"), n("tasks")),
        "sign_on_time": Rate(n("signed_on_time"), n("signed")),
        "report_on_time": Rate(n("reports_on_time"), n("reports")),
        "returned": Rate(n("returns"), n("reviews")),
        "lights": {light: n(light) for light in LIGHTS},
    }


def _total(rows: dict[int | None, dict[str, int]]) -> Figures:
    return Figures(**_kwargs({k: sum(int(c.get(k) or 0) for c in rows.values())
                              for k in COUNT_KEYS}))  # fmt: skip


def _ranked(rows: dict[int | None, dict[str, int]]) -> list[UnitFigures]:
    ids = [k for k in rows if k]
    units = Unit.objects.all()
    if len(ids) <= 100:
        units = units.filter(pk__in=ids)
    # (A province's ranking names every unit: reading the small unit table costs less than
    # sending and binding a list of 1,500 ids.)
    names = dict(units.values_list("pk", "name"))
    result = [
        UnitFigures(**_kwargs(c), unit_id=pk or 0, unit_name=names.get(pk or 0) or NO_UNIT)
        for pk, c in rows.items()
    ]
    result.sort(key=_rank_key)
    return result


def summary(scope: Scope, today: date) -> tuple[Figures, list[UnitFigures]]:
    """The overall figures and one row per lead unit (see ``by_unit``), from the same counts."""
    rows = _unit_counts(scope, today)
    return _total(rows), _ranked(rows)


def overall(scope: Scope, today: date) -> Figures:
    return _total(_unit_counts(scope, today))


def by_unit(scope: Scope, today: date) -> list[UnitFigures]:
    """One row per lead unit with tasks in scope, best first: 按期办结率 high, 逾期率 low,
    办结率 high, then by name (a unit with nothing completed yet ranks after those with)."""
    return _ranked(_unit_counts(scope, today))


def _rank_key(u: UnitFigures) -> tuple[float, float, float, str]:
    on_time = u.on_time.percent
    overdue = u.overdue_rate.percent
    completion = u.completion.percent
    return (
        -(on_time if on_time is not None else -1.0),
        overdue if overdue is not None else 101.0,
        -(completion if completion is not None else -1.0),
        u.unit_name,
    )
