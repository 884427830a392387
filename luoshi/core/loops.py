"""Background loops: small steps run on a schedule, claimed through ``LoopHeartbeat``.

Each loop is a function returning a short summary of what it did. ``run_due_loops``
runs every loop whose ``next_run_at`` has passed, after claiming it with a conditional
update, and records the heartbeat. ``manage.py runloops`` calls it forever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from luoshi.core.models import LoopHeartbeat

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loop:
    name: str
    label: str
    interval_seconds: int
    target: str  # dotted path of a callable taking no argument and returning a summary
    # A daily loop runs at this local time (the interval then is a day); others run every
    # ``interval_seconds``.
    at: time | None = None
    # Steps that talk to the outside world (delivery) commit as they go instead of in one
    # transaction, so a claim is visible to other runners before the slow send.
    atomic: bool = True

    def next_run(self, now: datetime) -> datetime:
        if self.at is None:
            return now + timedelta(seconds=self.interval_seconds)
        local = timezone.localtime(now)
        run = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        if run <= local:
            run = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), self.at))
        return run

    def step(self) -> Callable[[], str]:
        module, _, attr = self.target.rpartition(".")
        fn: Callable[[], str] = getattr(import_module(module), attr)
        return fn


LOOPS: tuple[Loop, ...] = (
    Loop("calendar_sync", "工作日历同步", 6 * 3600, "luoshi.workcal.loops.calendar_sync"),
    Loop("sessions_cleanup", "过期会话清理", 3600, "luoshi.core.housekeeping.sessions_cleanup"),
    Loop("lights_daily", "红黄绿灯每日刷新", 86400, "luoshi.ledger.loops.lights_daily", time(0, 5)),
    # After the lights, before the working day starts; SMS and robots wait for 08:30.
    Loop(
        "reminders_daily",
        "督办提醒每日扫描",
        86400,
        "luoshi.reminders.sweep.sweep_loop",
        time(8, 0),
    ),
    Loop("outbox", "消息投递", 15, "luoshi.notify.outbox.deliver_loop", atomic=False),
    # 统计快照: the city-wide dashboards recomputed before they expire (province scale only).
    Loop("stats_snapshots", "统计快照更新", 300, "luoshi.stats.snapshot.refresh_loop"),
    # Unused accounts (等保: 90 days), demo accounts outside demo mode, old login attempts.
    Loop(
        "accounts_inactive",
        "长期未用账户停用",
        86400,
        "luoshi.accounts.loops.accounts_daily",
        time(1, 0),
    ),
    # Audit records past the retention period (never younger than 180 days).
    Loop("audit_purge", "过期审计记录清理", 86400, "luoshi.audit.loops.audit_purge", time(2, 0)),
)


def loop_by_name(name: str) -> Loop:
    for loop in LOOPS:
        if loop.name == name:
            return loop
    raise KeyError(name)


def sync_intervals() -> None:
    """Record each loop's current interval once per runner start (rows come from ``claim``)."""
    for loop in LOOPS:
        LoopHeartbeat.objects.filter(name=loop.name).exclude(
            interval_seconds=loop.interval_seconds
        ).update(interval_seconds=loop.interval_seconds)


def claim(loop: Loop) -> bool:
    """Move the loop's next run forward if it is due; True when this runner won it."""
    LoopHeartbeat.objects.get_or_create(
        name=loop.name, defaults={"interval_seconds": loop.interval_seconds}
    )
    now = timezone.now()
    won = (
        LoopHeartbeat.objects.filter(name=loop.name)
        .filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
        .update(next_run_at=loop.next_run(now), last_beat_at=now)
    )
    return won == 1


def run_one(loop: Loop) -> str | None:
    """Run one loop if due; returns its summary, or None when it was not due."""
    if not claim(loop):
        return None
    try:
        if loop.atomic:
            with transaction.atomic():
                summary = loop.step()()
        else:
            summary = loop.step()()
    except Exception as exc:
        log.exception("循环 %s 运行失败", loop.name)
        LoopHeartbeat.objects.filter(name=loop.name).update(
            last_beat_at=timezone.now(), last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return f"失败：{exc}"
    now = timezone.now()
    hb = LoopHeartbeat.objects.get(name=loop.name)
    hb.last_beat_at = now
    hb.last_ok_at = now
    hb.last_error = ""
    hb.last_result = summary[:255]
    hb.runs += 1
    hb.save(update_fields=["last_beat_at", "last_ok_at", "last_error", "last_result", "runs"])
    return summary


def run_due_loops(names: list[str] | None = None) -> dict[str, str]:
    results = {}
    for loop in LOOPS:
        if names is not None and loop.name not in names:
            continue
        summary = run_one(loop)
        if summary is not None:
            results[loop.name] = summary
    return results


def beat_idle(names: list[str] | None = None) -> None:
    """Record that the runner is alive even when no loop was due."""
    mine = [loop.name for loop in LOOPS if names is None or loop.name in names]
    LoopHeartbeat.objects.filter(name__in=mine).update(last_beat_at=timezone.now())


def loop_status() -> list[dict[str, object]]:
    """Each loop's heartbeat for /healthz and the admin page; stale when it stopped beating."""
    now = timezone.now()
    rows = {hb.name: hb for hb in LoopHeartbeat.objects.all()}
    factor = settings.LUOSHI_LOOP_STALE_FACTOR
    out: list[dict[str, object]] = []
    for loop in LOOPS:
        hb = rows.get(loop.name)
        beat = hb.last_beat_at if hb else None
        # The runner beats every few seconds; a beat older than a few intervals
        # (at least two minutes) means the runner has stopped.
        limit = timedelta(seconds=max(120, min(loop.interval_seconds, 600) * factor))
        out.append(
            {
                "name": loop.name,
                "label": loop.label,
                "last_heartbeat": beat.isoformat() if beat else None,
                "last_ok": hb.last_ok_at.isoformat() if hb and hb.last_ok_at else None,
                "last_error": hb.last_error if hb else "",
                "last_result": hb.last_result if hb else "",
                "stale": beat is None or now - beat > limit,
            }
        )
    return out
