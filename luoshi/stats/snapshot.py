"""统计快照: the dashboard's figures served from a snapshot at province scale.

Counting a province's million tasks, three million reports and ten million events for one
dashboard takes seconds however it is indexed (2.2 s for a year, 3.4 s for all years on
PostgreSQL). Supervision statistics are read as of a moment anyway (数据截至), so once the
ledger holds ``STATS_SNAPSHOT_FROM_TASKS`` tasks a dashboard is computed at most once every
``STATS_SNAPSHOT_SECONDS`` for each scope and kind of viewer, stored (``Snapshot``) and
served from there with its time shown; 刷新 recomputes it at once. The background loop
recomputes the city-wide figures of this year and of all years before they expire, so the
office never waits. Below the threshold every dashboard is computed live, as before.

The key holds everything the figures depend on: the filters, the day, and whose view it is:
every viewer whose grants cover the whole unit tree sees the same figures ("all"); anyone
else's figures are his own."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from luoshi.accounts.models import RoleGrant
from luoshi.ledger.selectors import OVERSIGHT, covers_every_unit
from luoshi.org.models import Unit
from luoshi.stats import dashboard
from luoshi.stats.breakdowns import Bucket, Month
from luoshi.stats.dashboard import Dashboard
from luoshi.stats.figures import RATE_NAMES, Figures, Rate, Scope, UnitFigures
from luoshi.stats.models import Snapshot
from luoshi.workbench import tally

DEFAULT_FROM_TASKS = 100_000
DEFAULT_SECONDS = 600


def from_tasks() -> int:
    return int(getattr(settings, "STATS_SNAPSHOT_FROM_TASKS", DEFAULT_FROM_TASKS))


def fresh_for() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "STATS_SNAPSHOT_SECONDS", DEFAULT_SECONDS)))


@dataclass
class Served:
    dashboard: Dashboard
    as_of: datetime | None  # None: computed for this request (live)

    @property
    def next_at(self) -> datetime | None:
        return self.as_of + fresh_for() if self.as_of else None


def province_scale() -> bool:
    """True when the ledger holds enough tasks to serve snapshots (the kept task counts:
    one small sum, not a count of the tasks)."""
    return tally.read().total() >= from_tasks()


def viewer(user: Any) -> str:
    return "all" if covers_every_unit(user, OVERSIGHT) else f"user{user.pk}"


def key(scope: Scope, today: date) -> str:
    parts = [
        viewer(scope.user), today.isoformat(), str(scope.year or ""),
        scope.date_from.isoformat() if scope.date_from else "",
        scope.date_to.isoformat() if scope.date_to else "",
        str(scope.leader_id or ""), str(scope.unit.pk if scope.unit else ""),
    ]  # fmt: skip
    return ":".join(parts)


def get(scope: Scope, today: date, refresh: bool = False) -> Served:
    """The dashboard of ``scope``: live below province scale, else its fresh snapshot (made
    now if there is none, or when ``refresh``)."""
    if not province_scale():
        return Served(dashboard.build(scope, today), None)
    k = key(scope, today)
    if not refresh:
        kept = Snapshot.objects.filter(key=k, computed_at__gt=timezone.now() - fresh_for()).first()
        if kept is not None:
            return Served(load(scope, today, kept.data), kept.computed_at)
    return Served(*store(k, scope, today))


def store(k: str, scope: Scope, today: date) -> tuple[Dashboard, datetime]:
    started, at = time.perf_counter(), timezone.now()
    d = dashboard.build(scope, today)
    Snapshot.objects.update_or_create(
        key=k,
        defaults={"computed_at": at, "seconds": time.perf_counter() - started, "data": dump(d)},
    )
    return d, at


# --- as stored ---------------------------------------------------------------------------


def dump(d: Dashboard) -> dict[str, Any]:
    return {
        "overall": asdict(d.overall),
        "units": [asdict(u) for u in d.units],
        "totals": {name: [asdict(b) for b in buckets] for name, buckets in d.totals.items()},
        "trend": [asdict(m) for m in d.trend],
    }


def _figures(cls: type[Figures], data: dict[str, Any]) -> Any:
    values = dict(data)
    for name in RATE_NAMES:
        values[name] = Rate(**values[name])
    return cls(**values)


def load(scope: Scope, today: date, data: dict[str, Any]) -> Dashboard:
    month_fields = {f.name for f in fields(Month)}
    months = []
    for m in data["trend"]:
        values = {k: v for k, v in m.items() if k in month_fields}
        values["start"], values["end"] = (
            date.fromisoformat(m["start"]),
            date.fromisoformat(m["end"]),
        )
        months.append(Month(**values))
    return Dashboard(
        scope=scope,
        today=today,
        overall=_figures(Figures, data["overall"]),
        units=[_figures(UnitFigures, u) for u in data["units"]],
        totals={name: [Bucket(**b) for b in buckets] for name, buckets in data["totals"].items()},
        trend=months,
    )


# --- the background loop -----------------------------------------------------------------


def _city_viewer() -> Any:
    """An active user whose grants cover every unit (the city's office), or None."""
    roots = Unit.objects.filter(parent__isnull=True).values("pk")
    grants = RoleGrant.objects.filter(role__in=OVERSIGHT, unit__in=roots, user__is_active=True)
    for grant in grants.select_related("user").order_by("user_id")[:20]:
        if covers_every_unit(grant.user, OVERSIGHT):
            return grant.user
    return None


def refresh_loop() -> str:
    """Recompute the city-wide figures of this year and of all years when they are about to
    expire (within the next two minutes), and drop snapshots of days gone by."""
    today = timezone.localdate()
    Snapshot.objects.filter(computed_at__lt=timezone.now() - timedelta(days=2)).delete()
    if not province_scale():
        return "任务数未达快照门槛，统计实时计算"
    user = _city_viewer()
    if user is None:
        return "没有覆盖全部单位的账号，未预先计算"
    soon = timezone.now() - fresh_for() + timedelta(minutes=2)
    done = []
    for scope in (Scope(user, year=today.year), Scope(user)):
        k = key(scope, today)
        if not Snapshot.objects.filter(key=k, computed_at__gt=soon).exists():
            store(k, scope, today)
            done.append(str(scope.year or "全部年度"))
    return f"已重算：{'、'.join(done)}" if done else "快照仍新鲜"
