"""Everything the dashboard shows, computed once and shared by the page, the API and the
Excel export: the figures, each with the link to the list behind it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from luoshi.ledger.states import Light
from luoshi.stats import breakdowns, figures
from luoshi.stats.breakdowns import Bucket, Month
from luoshi.stats.figures import RATE_LABELS, RATE_NAMES, Figures, Scope, UnitFigures
from luoshi.stats.links import RATE_PARTS, ledger_url, task_url
from luoshi.stats.nojit import no_jit

LIGHT_LABELS = {Light.RED.value: "红灯", Light.YELLOW.value: "黄灯", Light.GREEN.value: "绿灯"}


@dataclass
class Dashboard:
    scope: Scope
    today: date
    overall: Figures
    units: list[UnitFigures]
    totals: dict[str, list[Bucket]]
    trend: list[Month]

    @property
    def trend_year(self) -> int:
        return breakdowns.trend_year(self.scope, self.today)


@no_jit
def build(scope: Scope, today: date) -> Dashboard:
    total, units = figures.summary(scope, today)
    return Dashboard(
        scope=scope,
        today=today,
        overall=total,
        units=units,
        totals=breakdowns.totals(scope),
        trend=breakdowns.trend(scope, today),
    )


def rate_cards(d: Dashboard) -> list[dict[str, Any]]:
    cards = []
    for name in RATE_NAMES:
        rate = getattr(d.overall, name)
        num_label, num_flag, den_label, den_flag, word = RATE_PARTS[name]
        cards.append({
            "name": name, "label": RATE_LABELS[name], "rate": rate, "word": word,
            "num_label": num_label, "num_url": task_url(d.scope, flag=num_flag),
            "den_label": den_label, "den_url": task_url(d.scope, flag=den_flag),
        })  # fmt: skip
    return cards


def unit_rows(d: Dashboard, ranks: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """The ranking's rows with their links: every unit, or those of ``ranks`` (1-based)."""
    return ranking_rows(d.scope, d.units, ranks)


def ranking_rows(scope: Scope, units: list[UnitFigures],
                 ranks: Iterable[int] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    rows = []
    for rank in ranks if ranks is not None else range(1, len(units) + 1):
        u = units[rank - 1]

        def url(flag: str, u: UnitFigures = u) -> str:
            return task_url(scope, lead=u.unit_id, flag=flag)

        rows.append({
            "rank": rank, "u": u,
            "tasks_url": url("assigned"), "completed_url": url("completed"),
            "overdue_url": url("overdue"),
            "rates": [(RATE_LABELS[n], getattr(u, n), url(RATE_PARTS[n][1]))
                      for n in RATE_NAMES],
        })  # fmt: skip
    return rows


def _bucket_items(d: Dashboard, name: str) -> list[dict[str, Any]]:
    return [
        {"key": b.key, "name": b.label, "value": b.count,
         "url": ledger_url(d.scope, **{name: b.key})}
        for b in d.totals[name]
    ]  # fmt: skip


def chart_data(d: Dashboard) -> dict[str, Any]:
    """What the ECharts on the page draw; every item carries the URL a click opens."""
    months = d.trend
    data: dict[str, Any] = {
        name: _bucket_items(d, name) for name in ("status", "source", "category", "priority")
    }
    data["lights"] = [
        {"key": key, "name": LIGHT_LABELS[key], "value": d.overall.lights.get(key, 0),
         "url": task_url(d.scope, flag="assigned", light=key)}
        for key in LIGHT_LABELS
    ]  # fmt: skip
    data["trend"] = {
        "months": [m.label for m in months],
        "assigned": [
            {"value": m.assigned, "url": task_url(d.scope, flag="assigned", **_within(d, m))}
            for m in months
        ],
        "completed": [
            {"value": m.completed, "url": task_url(d.scope, flag="completed", **_done(m))}
            for m in months
        ],
        "on_time": [
            {"value": m.on_time, "url": task_url(d.scope, flag="on_time", **_done(m))}
            for m in months
        ],
        "approved": [
            {"value": m.approved, "url": ledger_url(d.scope, **_window("approved", m))}
            for m in months
        ],
        "closed": [
            {"value": m.closed, "url": ledger_url(d.scope, **_window("closed", m))} for m in months
        ],
    }
    return data


def _within(d: Dashboard, m: Month) -> dict[str, date]:
    """The month as a 交办 period, narrowed to the scope's own period."""
    start = max(m.start, d.scope.date_from) if d.scope.date_from else m.start
    end = min(m.end, d.scope.date_to) if d.scope.date_to else m.end
    return {"from": start, "to": end}


def _window(column: str, m: Month) -> dict[str, date]:
    return {f"{column}_from": m.start, f"{column}_to": m.end}


def _done(m: Month) -> dict[str, date]:
    return {"done_from": m.start, "done_to": m.end}


def month_rows(d: Dashboard) -> list[dict[str, Any]]:
    return [
        {"m": m,
         "assigned_url": task_url(d.scope, flag="assigned", **_within(d, m)),
         "completed_url": task_url(d.scope, flag="completed", **_done(m)),
         "on_time_url": task_url(d.scope, flag="on_time", **_done(m)),
         "approved_url": ledger_url(d.scope, **_window("approved", m)),
         "closed_url": ledger_url(d.scope, **_window("closed", m))}
        for m in d.trend
    ]  # fmt: skip


def as_json(d: Dashboard) -> dict[str, Any]:
    """The API's body: the same figures as the page and the export."""
    s = d.scope
    return {
        "scope": {
            "year": s.year,
            "from": s.date_from.isoformat() if s.date_from else None,
            "to": s.date_to.isoformat() if s.date_to else None,
            "leader": s.leader_id,
            "unit": s.unit.pk if s.unit else None,
            "today": d.today.isoformat(),
        },
        "overall": d.overall.as_dict(),
        "by_unit": [u.as_dict() for u in d.units],
        "totals": {
            name: [{"key": b.key, "label": b.label, "count": b.count} for b in buckets]
            for name, buckets in d.totals.items()
        },
        "trend": {"year": d.trend_year, "months": [m.as_dict() for m in d.trend]},
        "lights": dict(d.overall.lights),
    }
