"""亮灯情况: the lights of open tasks counted per lead unit, and a leader's matters red first.
Each is one aggregate query over what the user may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from luoshi.ledger.filters import late_report_q
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.selectors import OVERSIGHT, assignment_queryset_for, covers_every_unit
from luoshi.ledger.states import FINISHED_MATTER_STATES, LIGHT_RANK, OPEN_ASSIGNMENT_STATES, Light
from luoshi.org.models import Unit
from luoshi.workbench import tally
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


# One row of the 亮灯情况 table, as the template wrote it: the page has a row per lead unit
# (1,500 in a province), which the template engine renders ~50 times slower than this.
_ROW = """
<tr data-unit="{unit}">
  <th scope="row">{name}</th>
  <td><a href="{base}" aria-label="{name}在办任务 {open} 项">{open}</a></td>
  <td class="{red_class}"><a href="{sep}light=red" aria-label="{name}红灯 {red} 项">{red}</a></td>
  <td class="{yellow_class}"><a href="{sep}light=yellow" aria-label="{name}黄灯 {yellow} 项">{yellow}</a></td>
  <td><a href="{sep}light=green" aria-label="{name}绿灯 {green} 项">{green}</a></td>
  <td class="{late_class}"><a href="{sep}late=1" aria-label="{name}反馈逾期 {late} 项">{late}</a></td>
</tr>
"""  # noqa: E501


def rows_html(rows: list[UnitRow]) -> SafeString:
    """The table's rows, escaped as the template would (``UnitRow.link`` for the links)."""
    tasks = reverse("ledger:assignments")
    out = []
    for r in rows:
        base = f"{tasks}?unit={r.unit_id}" if r.unit_id else f"{tasks}?"
        sep = f"{base}&amp;" if r.unit_id else base
        out.append(_ROW.format(
            unit=r.unit_id, name=escape(r.name), base=base, sep=sep, open=r.open,
            red=r.red, yellow=r.yellow, green=r.green, late=r.late,
            red_class="light-count-red" if r.red else "",
            yellow_class="light-count-yellow" if r.yellow else "",
            late_class="light-count-yellow" if r.late else "",
        ))  # fmt: skip
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number


# The lit colours, worst first, as the rows and totals count them.
LIT = (Light.RED, Light.YELLOW, Light.GREEN)


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


def _by_unit(user: Any, today: date) -> list[dict[str, Any]]:
    """Per lead unit id (None: none yet) with open tasks: open, red, yellow, green, late."""
    if not covers_every_unit(user, OVERSIGHT):
        # Grouped by the id alone, so that the tasks' index answers; the names come after.
        grouped = open_tasks(user).order_by().values("lead_unit_id").annotate(**_counts(today))
        return [dict(g) for g in grouped]
    # Counted here from the range of the overdue reports' index: grouped in SQL, SQLite
    # walks every running task's entry of the lead-unit index instead.
    late: Counter[int | None] = Counter(
        Assignment.objects.filter(late_report_q(today))
        .order_by()
        .values_list("lead_unit_id", flat=True)
    )
    found: list[dict[str, Any]] = []
    for unit, lights in tally.by_unit(OPEN_ASSIGNMENT_STATES).items():
        row: dict[str, Any] = {"lead_unit_id": unit, "open": sum(lights.values())}
        row.update({light.value: lights.get(light.value, 0) for light in LIT})
        row["late"] = late.get(unit, 0)
        found.append(row)
    return found


def unit_rows(user: Any, today: date) -> tuple[list[UnitRow], UnitRow]:
    """One row per lead unit with open tasks, worst first, and the totals."""
    grouped = _by_unit(user, today)
    ids = [g["lead_unit_id"] for g in grouped if g["lead_unit_id"] is not None]
    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = [
        UnitRow(g["lead_unit_id"], names.get(g["lead_unit_id"]) or "（未定牵头单位）",
                g["open"], g["red"], g["yellow"], g["green"], g["late"])
        for g in grouped
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


def totals(user: Any, today: date, tallies: tally.Once | None = None) -> UnitRow:
    """The same counts over all units, for the 工作台 (one query, or the tallies and the
    overdue reports' index when the user sees every task)."""
    if covers_every_unit(user, OVERSIGHT):
        t = (tallies or tally.Once())()
        late = Assignment.objects.filter(late_report_q(today)).count()
        red, yellow, green = (t.total(OPEN_ASSIGNMENT_STATES, [light.value]) for light in LIT)
        return UnitRow(None, "合计", t.total(OPEN_ASSIGNMENT_STATES), red, yellow, green, late)
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
