"""挂图作战: the matter page's chart of its tasks, a bar each from 交办 to the deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from luoshi.ledger.models import Assignment


def _task(a: Assignment) -> str:
    return a.lead_unit.name if a.lead_unit is not None else ""


# 挂图作战: positions in percent of the chart's width, computed here so the template is
# plain HTML and CSS. Dates map into [EDGE, 100 - EDGE] so end markers are not clipped.
EDGE = 2.0
MILESTONE_STATES = {"reached": "已完成", "overdue": "已逾期", "upcoming": "未到期"}


@dataclass
class Marker:
    left: str
    state: str
    label: str


@dataclass
class Bar:
    number: int
    task: str
    unit: str
    url: str
    left: str
    width: str
    tone: str  # a light (red, yellow, green), "done", or "none"
    label: str  # the bar in words, for screen readers and tooltips
    original_left: str = ""
    markers: list[Marker] = field(default_factory=list)


@dataclass
class Tick:
    left: str
    label: str


@dataclass
class Gantt:
    bars: list[Bar]
    ticks: list[Tick]
    today_left: str
    today: date
    start: date
    end: date


def _pct(d: date, lo: date, span: int) -> float:
    return EDGE + (100 - 2 * EDGE) * (d - lo).days / span


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def _ticks(lo: date, hi: date, span: int) -> list[Tick]:
    """The first of each month in range, thinned to at most eight labels."""
    firsts = []
    d = date(lo.year, lo.month, 1)
    while d <= hi:
        if d >= lo:
            firsts.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    step = max(1, -(-len(firsts) // 8))
    return [
        Tick(_fmt(_pct(d, lo, span)), f"{d.year}年{d.month}月" if i == 0 or d.month == 1
             else f"{d.month}月")
        for i, d in enumerate(firsts[::step])
    ]  # fmt: skip


def chart(assignments: list[Assignment], today: date) -> Gantt | None:
    """A bar per task from 交办 to its deadline (the original one marked when it moved),
    its milestones as markers, and today's line; None before anything was assigned."""
    tasks = [a for a in assignments
             if a.status != "cancelled" and a.assigned_at and a.due_date]  # fmt: skip
    if not tasks:
        return None
    starts = {a.pk: timezone.localdate(a.assigned_at) for a in tasks if a.assigned_at}
    days = [today, *starts.values()]
    for a in tasks:
        days += [d for d in (a.due_date, a.original_due_date) if d]
        days += [m.due_date for m in a.milestones.all()]
    lo, hi = min(days), max(days)
    span = max((hi - lo).days, 1)
    bars = []
    for number, a in enumerate(tasks, start=1):
        assert a.due_date is not None
        start, due = starts[a.pk], a.due_date
        left = _pct(start, lo, span)
        tone = "done" if a.status == "completed" else (a.light or "none")
        moved = a.original_due_date if a.original_due_date != due else None
        words = f"交办 {start:%Y-%m-%d}，完成时限 {due:%Y-%m-%d}"
        if moved:
            words += f"（原定 {moved:%Y-%m-%d}）"
        words += f"，{a.get_status_display()}"
        if a.light:
            words += f"，{a.get_light_display()}"
        bar = Bar(
            number=number, task=a.task, unit=_task(a) or "—",
            url=reverse("ledger:assignment", args=[a.pk]), left=_fmt(left),
            width=_fmt(max(_pct(due, lo, span) - left, 0.8)), tone=tone, label=words,
            original_left=_fmt(_pct(moved, lo, span)) if moved else "",
        )  # fmt: skip
        for m in a.milestones.all():
            state = ("reached" if m.reached_at else "overdue" if m.due_date < today
                     else "upcoming")  # fmt: skip
            bar.markers.append(Marker(
                _fmt(_pct(m.due_date, lo, span)), state,
                f"节点 {m.due_date:%Y-%m-%d} {m.deliverable}（{MILESTONE_STATES[state]}）",
            ))  # fmt: skip
        bars.append(bar)
    return Gantt(bars, _ticks(lo, hi, span), _fmt(_pct(today, lo, span)), today, lo, hi)
