"""The statistics' figures: counts and rates of assigned tasks, overall and per lead unit.

Every figure is an SQL aggregate (``Count(filter=...)``) over the tasks a ``Scope`` selects,
with the same conditions the task list's drill-down ``flag`` applies
(``luoshi.ledger.filters.task_flag_q``), so that a figure and the list behind it agree.
``overall`` runs three queries and ``by_unit`` three more, whatever the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from luoshi.followup.models import ProgressReport
from luoshi.ledger.filters import (
    REVIEW_ACTIONS,
    assigned_q,
    on_time_q,
    overdue_q,
    signed_on_time_q,
)
from luoshi.ledger.models import Assignment, Matter, MatterEvent
from luoshi.ledger.selectors import assignment_queryset_for, matter_queryset_for
from luoshi.ledger.states import AssignmentStatus, Light
from luoshi.org.models import Unit

LIGHTS = (Light.RED.value, Light.YELLOW.value, Light.GREEN.value)


@dataclass(frozen=True)
class Scope:
    user: Any  # figures never exceed what this user may see
    year: int | None = None  # Matter.year
    date_from: date | None = None  # 交办 (assigned_at, local date) on or after
    date_to: date | None = None  # … and on or before
    leader_id: int | None = None  # Matter.supervising_leader
    unit: Unit | None = None  # lead unit subtree (Unit.path prefix)


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


def tasks_in_scope(scope: Scope) -> QuerySet[Assignment]:
    """Assigned tasks (not waiting for 交办, not cancelled) the user may see, in scope."""
    qs = assignment_queryset_for(scope.user).filter(assigned_q())
    if scope.year is not None:
        qs = qs.filter(matter__year=scope.year)
    if scope.leader_id is not None:
        qs = qs.filter(matter__supervising_leader_id=scope.leader_id)
    if scope.unit is not None:
        qs = qs.filter(lead_unit__path__startswith=scope.unit.path)
    if scope.date_from is not None:
        qs = qs.filter(assigned_at__date__gte=scope.date_from)
    if scope.date_to is not None:
        qs = qs.filter(assigned_at__date__lte=scope.date_to)
    return qs


def matters_in_scope(scope: Scope) -> QuerySet[Matter]:
    """Matters the user may see, as the ledger filters them: the unit subtree means a live
    (not cancelled) task led there; the period means a task assigned in it."""
    qs = matter_queryset_for(scope.user)
    if scope.year is not None:
        qs = qs.filter(year=scope.year)
    if scope.leader_id is not None:
        qs = qs.filter(supervising_leader_id=scope.leader_id)
    live = Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
    if scope.unit is not None:
        live_here = live.filter(lead_unit__path__startswith=scope.unit.path)
        qs = qs.filter(pk__in=live_here.values("matter_id"))
    if scope.date_from is not None or scope.date_to is not None:
        period = live
        if scope.date_from is not None:
            period = period.filter(assigned_at__date__gte=scope.date_from)
        if scope.date_to is not None:
            period = period.filter(assigned_at__date__lte=scope.date_to)
        qs = qs.filter(pk__in=period.values("matter_id"))
    return qs


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


def _reports(scope: Scope) -> QuerySet[ProgressReport]:
    tasks = tasks_in_scope(scope).values("pk")
    return ProgressReport.objects.filter(kind=ProgressReport.LEAD, assignment__in=tasks)


def _report_counts() -> dict[str, Any]:
    return {"reports": Count("id"), "reports_on_time": Count("id", filter=Q(late=False))}


def _reviews(scope: Scope) -> QuerySet[MatterEvent]:
    """The office's decisions on lead reports: each accept or return is one event (the unit
    head's returns before the office are not the office's review)."""
    tasks = tasks_in_scope(scope).values("pk")
    return MatterEvent.objects.filter(assignment__in=tasks, action__in=REVIEW_ACTIONS)


def _review_counts() -> dict[str, Any]:
    return {"reviews": Count("id"), "returns": Count("id", filter=Q(action="report_return"))}


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


def overall(scope: Scope, today: date) -> Figures:
    counts: dict[str, Any] = dict(tasks_in_scope(scope).order_by().aggregate(**_task_counts(today)))
    counts.update(_reports(scope).order_by().aggregate(**_report_counts()))
    counts.update(_reviews(scope).order_by().aggregate(**_review_counts()))
    return Figures(**_kwargs(counts))


def by_unit(scope: Scope, today: date) -> list[UnitFigures]:
    """One row per lead unit with tasks in scope, best first: 按期办结率 high, 逾期率 low,
    办结率 high, then by name (a unit with nothing completed yet ranks after those with)."""
    rows: dict[int, dict[str, Any]] = {}
    grouped = (
        tasks_in_scope(scope)
        .order_by()
        .values("lead_unit_id", "lead_unit__name")
        .annotate(**_task_counts(today))
    )
    for g in grouped:
        rows[g["lead_unit_id"]] = dict(g)
    unit_key = "assignment__lead_unit_id"
    for part in (
        _reports(scope).order_by().values(unit_key).annotate(**_report_counts()),
        _reviews(scope).order_by().values(unit_key).annotate(**_review_counts()),
    ):
        for g in part:
            if g[unit_key] in rows:
                rows[g[unit_key]].update(g)
    result = [
        UnitFigures(**_kwargs(c), unit_id=c["lead_unit_id"] or 0,
                    unit_name=c["lead_unit__name"] or "（未定牵头单位）")
        for c in rows.values()
    ]  # fmt: skip
    result.sort(key=_rank_key)
    return result


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
