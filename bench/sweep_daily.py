"""The daily sweep in process: both nightly passes of one day, timed, and their undoing.

Use after ``django.setup()`` on a database holding the benchmark's data (made by
bench/sweep.py or bench/generate.py), with bench/ on ``sys.path``::

    from sweep import run_daily, undo_sweep  # or: from sweep_daily import …

    undo_sweep()         # the database as before DAY's passes
    r = run_daily()      # DAY's lights pass, then its reminder sweep
    r["total"], r["lights"], r["reminders"], r["queries"]  # seconds, seconds, seconds, count
    run_daily()          # again: nothing changes (the steady cost of a repeated run)

``run_daily(day)`` freezes the clock at 08:00 of ``day`` (Beijing time) and runs what the
loops run that day: the lights pass as ``luoshi.ledger.loops.lights_daily`` does it
(``fill_report_dues()``, then ``lights.refresh_all()``), then the reminder sweep
``luoshi.reminders.sweep.sweep(day)``. It returns the seconds of each and their total, the
statements each sent, this process's CPU seconds (``*_cpu``) and on PostgreSQL its server
backend's (``*_db_cpu``, read from /proc; None if it cannot be read): on a shared machine
the work done, less noisy than the wall time. And what they did
(report due dates filled, task and matter lights changed, the sweep's counts). The lights
pass is idempotent for a given day, so a second run measures the no-change case.

``undo_sweep(day)`` puts back the state before that day's passes: the lights as the
previous day's pass left them (a day on which lights change: tasks turn red the day after
their deadline and yellow as it nears), the day's reminders and digests deleted and the
tasks they came from due again. Report due dates filled by the pass stay (the pass only
fills dates missing because a calendar year was missing). On PostgreSQL it then runs
``VACUUM ANALYZE`` on the tables it touched, as autovacuum would between two days.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from unittest import mock

from sweep_data import DAY, TZ


def undo_sweep(day: date = DAY) -> int:
    """The database as before ``day``'s passes (see the module's docstring); returns the
    tasks made due again."""
    from django.db import connection

    from luoshi.ledger import lights
    from luoshi.ledger.models import Assignment
    from luoshi.notify.models import Notification, Outbox
    from luoshi.reminders.models import Reminder

    # The tasks the sweep read: those with a reminder about the task or its milestones. A
    # reminder about a report, extension or urging notice also names its task, but that
    # task was not due (counting those made 25,000 more tasks due after each undo).
    fired = Reminder.objects.filter(fired_on=day, object_type__in=("assignment", "milestone"))
    ids = sorted({i for i in fired.values_list("assignment_id", flat=True) if i is not None})
    for start in range(0, len(ids), 900):
        Assignment.objects.filter(pk__in=ids[start : start + 900]).update(next_remind_on=day)
    digests = Outbox.objects.filter(key__startswith="digest:", key__contains=f":{day:%Y%m%d}")
    Notification.objects.filter(outbox__in=digests).delete()
    digests.delete()
    Reminder.objects.filter(fired_on=day).delete()
    lights.refresh_all(today=day - timedelta(days=1))
    if connection.vendor == "postgresql":
        # The dead rows would otherwise slow the next run's scans; autovacuum clears them
        # between two daily sweeps.
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE ledger_assignment, ledger_matter, reminders_reminder, "
                      "notify_outbox, notify_notification, notify_deliveryattempt")  # fmt: skip
    return len(ids)


class Counter:
    """``connection.execute_wrapper`` counting statements (COMMIT does not pass through)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:  # fmt: skip
        self.n += 1
        return execute(sql, params, many, context)


@contextmanager
def tally(target: Any, attr: str, into: dict[str, int], key: str) -> Iterator[None]:
    """Add up what ``target.attr`` returns while inside (rows a refresh changed)."""
    fn = getattr(target, attr)

    def counted(*args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        into[key] += result
        return result

    with mock.patch.object(target, attr, counted):
        yield


def server_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend serving this connection has used, read from
    /proc when the server runs on this machine (None on SQLite, or when it cannot be read).
    With this process's CPU it is the work done, whatever else shares the machine; parallel
    query workers are not counted (the sweep's statements run without them)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, fields 14 and 15 of stat(5), counted from the field after the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _spent(before: float | None) -> float | None:
    after = server_cpu()
    return None if before is None or after is None else after - before


def run_lights(day: date = DAY) -> dict[str, Any]:
    """The lights pass of ``day`` alone (the first half of ``run_daily``)."""
    import time_machine
    from django.db import connection

    from luoshi.ledger import lights, loops

    out: dict[str, Any] = {"day": day, "tasks_relit": 0, "matters_relit": 0}
    counter = Counter()
    with time_machine.travel(datetime.combine(day, dtime(8), TZ), tick=False), \
            connection.execute_wrapper(counter), \
            tally(lights, "refresh_task_lights", out, "tasks_relit"), \
            tally(lights, "refresh_matter_lights", out, "matters_relit"):  # fmt: skip
        db = server_cpu()
        t, cpu = time.perf_counter(), time.process_time()
        out["filled"] = loops.fill_report_dues()
        out["lit"] = lights.refresh_all()
        out["lights"] = time.perf_counter() - t
        out["lights_cpu"] = time.process_time() - cpu
        out["lights_db_cpu"] = _spent(db)
    out["lights_queries"] = counter.n - 2 * (db is not None)  # not server_cpu()'s own
    return out


def run_daily(day: date = DAY) -> dict[str, Any]:
    """Both nightly passes of ``day`` with the clock at 08:00 that day (see the docstring)."""
    import time_machine
    from django.db import connection
    from django.urls import reverse

    from luoshi.reminders.sweep import sweep

    # The loop process is long-lived: its URLconf (imported by the first reverse(), about a
    # second) is loaded before the morning's sweep.
    reverse("workbench:home")
    out = run_lights(day)
    counter = Counter()
    with time_machine.travel(datetime.combine(day, dtime(8), TZ), tick=False), \
            connection.execute_wrapper(counter):  # fmt: skip
        db = server_cpu()
        t, cpu = time.perf_counter(), time.process_time()
        out["counts"] = sweep(day)
        out["reminders"] = time.perf_counter() - t
        out["reminders_cpu"] = time.process_time() - cpu
        out["reminders_db_cpu"] = _spent(db)
    out["reminder_queries"] = counter.n - 2 * (db is not None)
    out["queries"] = out["lights_queries"] + out["reminder_queries"]
    out["total"] = out["lights"] + out["reminders"]
    out["cpu"] = out["lights_cpu"] + out["reminders_cpu"]
    out["db_cpu"] = (None if db is None or out["lights_db_cpu"] is None
                     else out["lights_db_cpu"] + out["reminders_db_cpu"])  # fmt: skip
    return out


def same_work(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two runs did the same (not in the same time)."""
    keys = ("filled", "lit", "tasks_relit", "matters_relit", "counts")
    return all(a.get(k) == b.get(k) for k in keys)


def describe_lights(r: dict[str, Any]) -> str:
    lit = r["lit"]
    return (f"{r['tasks_relit']:,} task and {r['matters_relit']:,} matter lights changed, "
            f"{r['filled']:,} report due dates filled; matters red/yellow/green "
            f"{lit['red']:,}/{lit['yellow']:,}/{lit['green']:,}")  # fmt: skip


def describe(r: dict[str, Any]) -> str:
    """What a run did, in one line."""
    c = r["counts"]
    return (f"lights: {describe_lights(r)}; reminders: {c['tasks']:,} tasks, "
            f"{c['reminders']:,} reminders, {c['digests']:,} digests")  # fmt: skip
