"""The daily sweep (lights pass and reminder sweep) over a large ledger of open assignments.

Builds a throwaway database (SQLite file by default, PostgreSQL when ``DATABASE_URL`` is
set) with the demo city, ~1,500 extra units with a liaison and a unit head each, and
``--assignments`` open assignments of which exactly ``--due`` are due on the benchmark day
(Tuesday 2026-11-24, clock frozen at 08:00 Beijing time). Then times the day's two nightly
passes, the lights pass (``luoshi.ledger.loops.lights_daily``) and the reminder sweep
(``luoshi.reminders.sweep.sweep``), from the lights as the day before left them; runs them
again (nothing may change), and measures peak memory and queries on identical re-runs (the
first run's effects are undone in between). See bench/README.md.

Run: python bench/sweep.py [--assignments 1000000] [--due 5000] [--db PATH] [--reuse]

In process (bench/run.py), after ``django.setup()`` on a database with this data::

    from sweep import run_daily, undo_sweep   # bench/ on sys.path
    undo_sweep()                 # lights as of the day before, the day's reminders undone
    result = run_daily()         # {"total", "lights", "reminders", "queries", …} (seconds)

See bench/sweep_daily.py for what they return. The data generator is in bench/sweep_data.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # sweep_data, next to this file

# Only the standard library at import time: sweep_data imports the models inside its
# functions, which run after setup_django().
from sweep_daily import (  # noqa: E402 - idem; the in-process API, re-exported for bench/run.py
    describe,
    describe_lights,
    run_daily,
    run_lights,
    same_work,
    undo_sweep,
)
from sweep_data import (  # noqa: E402 - after sys.path: bench/ when not run as a script
    DAY,
    DEPARTMENTS,
    NOW,
    SEED,
    TOWNSHIPS,
    USER_PREFIX,
    Generator,
    check_sample,
    generate,
    make_units,
    step,
    upcoming_counts,
)

__all__ = ["run_daily", "run_lights", "undo_sweep"]


def fmt_s(seconds: float) -> str:
    if seconds >= 60:
        return f"{seconds:.1f} s ({seconds / 60:.1f} min)"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms"


# --- set-up -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--assignments", type=int, default=1_000_000, help="open assignments")
    ap.add_argument("--due", type=int, default=5000, help="of which due on the benchmark day")
    ap.add_argument("--db", help="SQLite file (default: a temporary file, removed at the end)")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="the database already holds this benchmark's data: skip generation, undo the "
        "previous sweep of the benchmark day and sweep again",
    )
    ap.add_argument("--batch", type=int, default=50_000, help="assignments generated per batch")
    ap.add_argument("--profile", metavar="FILE", help="also profile one sweep (cProfile) to FILE")
    args = ap.parse_args()
    if not 0 <= args.due <= args.assignments:
        ap.error("--due must be between 0 and --assignments")
    if args.db and os.environ.get("DATABASE_URL"):
        ap.error("DATABASE_URL is set: it is used, and --db would be ignored; give one of them")
    return args


def setup_django(args: argparse.Namespace, tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    os.environ.setdefault("LUOSHI_VAR_DIR", str(tmp / "var"))
    os.environ.setdefault("LUOSHI_LOG_LEVEL", "WARNING")
    os.environ["LUOSHI_DEMO"] = "1"  # seed_demo refuses to run without it
    # A deployment has an SMS gateway, so digests are queued for SMS too. Nothing is sent:
    # the benchmark never runs the delivery loop.
    os.environ.setdefault("LUOSHI_SMS_URL", "http://127.0.0.1:9/sms")
    if not os.environ.get("DATABASE_URL"):
        path = Path(args.db).resolve() if args.db else tmp / "bench.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()


def describe_database() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file, WAL, synchronous=NORMAL)"
    with connection.cursor() as c:
        c.execute("SHOW server_version")
        return f"PostgreSQL {c.fetchone()[0]}"


def existing_matters() -> int:
    """Matters already in the database (0 when the tables do not exist yet)."""
    from django.db import connection

    if "ledger_matter" not in connection.introspection.table_names():
        return 0
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM ledger_matter")
        return int(c.fetchone()[0])


def set_sqlite_bulk_mode(on: bool) -> None:
    """Bulk loading only: no fsync on the benchmark's own file; NORMAL again to measure."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute(f"PRAGMA synchronous={'OFF' if on else 'NORMAL'}")
            if not on:
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def prepare(reuse: bool) -> float:
    """Migrate, seed the calendar and the demo units/people; returns the seconds taken."""
    from django.core.management import call_command

    from luoshi.demo.services import seed_demo
    from luoshi.workcal import calendar
    from luoshi.workcal.services import calendar_seed_from_package

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not reuse:
        calendar_seed_from_package()
        calendar.invalidate()
        seed_demo(with_matters=False)
    calendar.invalidate()
    return time.perf_counter() - t


# --- measuring ----------------------------------------------------------------------------


class Meter:
    """``connection.execute_wrapper``: every statement and its time in the driver."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, float]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:  # fmt: skip
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seen.append((sql, time.perf_counter() - t))


class Phases:
    """Wall time spent in a few functions of the sweep (one perf_counter pair per call)."""

    def __init__(self) -> None:
        self.time: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.order: list[str] = []

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.time[name] += time.perf_counter() - t
                self.calls[name] += 1

        return timed_call

    def watch(self, stack: ExitStack) -> None:
        from luoshi.ledger import lights, loops
        from luoshi.reminders import sweep as sweep_module
        from luoshi.reminders.recipients import Resolver

        for target, attr, name in (
            (loops, "fill_report_dues", "lights: report due dates (fill_report_dues)"),
            (lights, "refresh_task_lights", "lights: tasks (refresh_task_lights)"),
            (lights, "refresh_matter_lights", "lights: matters (refresh_matter_lights)"),
            (sweep_module, "sweep_tasks", "tasks: read, plan, resolve recipients"),
            (sweep_module, "plan", "  of which schedule.plan()"),
            (Resolver, "_get", "  of which Resolver._get (recipient look-ups)"),
            (sweep_module.Collector, "flush", "insert reminders (Collector.flush)"),
            (sweep_module, "send_digests", "digests (send_digests)"),
            (sweep_module, "enqueue_many", "  of which enqueue_many()"),
        ):
            self.order.append(name)
            wrapped = self.wrap(name, getattr(target, attr))
            stack.enter_context(mock.patch.object(target, attr, wrapped))


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t


def shape(sql: str) -> str:
    """A statement without its values, column lists or IN lists: for grouping."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"(?:(?:%s|\?), )+(?:%s|\?)", "…", sql)
    sql = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", sql)
    sql = re.sub(r"^(INSERT (?:OR IGNORE )?INTO \S+) \(.*?\) VALUES", r"\1 (…) VALUES", sql)
    sql = re.sub(r"(?:\(…\), )+\(…\)", "(…), …", sql)
    return sql[:160]


def time_sql(sql: str, params: list[Any] | tuple[Any, ...], runs: int = 5) -> tuple[float, int]:
    """Median time to run ``sql`` and fetch all its rows; the row count."""
    from django.db import connection

    times, rows = [], 0
    with connection.cursor() as c:
        for _ in range(runs):
            t = time.perf_counter()
            c.execute(sql, params)
            rows = len(c.fetchall())
            times.append(time.perf_counter() - t)
    return statistics.median(times), rows


def raw_lookup() -> dict[str, Any]:
    """The sweep's index lookup as raw SQL and as the ORM issues it (no ORDER BY):
    median times of 5 and the database's plans."""
    from django.db import connection

    from luoshi.ledger.models import Assignment

    sql = "SELECT id FROM ledger_assignment WHERE next_remind_on <= %s"
    param = connection.ops.adapt_datefield_value(DAY)
    raw_time, raw_rows = time_sql(sql, [param])
    orm = Assignment.objects.filter(next_remind_on__lte=DAY).order_by().values_list("pk")
    orm_sql, orm_params = orm.query.sql_with_params()
    orm_time, _rows = time_sql(orm_sql, orm_params)
    with connection.cursor() as c:
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        c.execute(explain + sql, [param])
        plan = [str(r[-1]) for r in c.fetchall()]
    lines = [f"raw: {sql}", *(f"    {p}" for p in plan)]
    lines.append(f"the sweep's ORM query: {orm_sql}")
    lines += [f"    {p}" for p in orm.explain().splitlines()]
    if connection.vendor == "postgresql":
        lines.append("EXPLAIN ANALYZE of the ORM query:")
        lines += [f"    {p}" for p in orm.explain(analyze=True).splitlines()]
    return {"raw_time": raw_time, "raw_rows": raw_rows, "orm_time": orm_time, "explain": lines}


def outbox_rows() -> int:
    from luoshi.notify.models import Outbox

    return Outbox.objects.filter(key__startswith="digest:", key__contains=f":{DAY:%Y%m%d}").count()


def run_sweeps(profile: str | None) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out: dict[str, Any] = {}
    step("raw index lookup")
    out.update(raw_lookup())

    step("lights pass on the data as found")
    out["found"] = run_lights(DAY)
    step(f"  {describe_lights(out['found'])} in {fmt_s(out['found']['lights'])}")
    step("undo: lights as of the day before")
    undo_sweep()

    step("daily sweep: lights, then reminders (timed)")
    phases = Phases()
    with ExitStack() as stack:
        phases.watch(stack)
        first = out["first"] = run_daily(DAY)
    out["phases"] = phases
    out["outbox"] = outbox_rows()
    step(f"  {describe(first)} in {fmt_s(first['total'])}")

    step("daily sweep again, same day (idempotence: nothing changes)")
    again = out["again"] = run_daily(DAY)
    step(f"  {describe(again)} in {fmt_s(again['total'])}")

    def same(r: dict[str, Any], what: str) -> None:
        if not same_work(r, first):
            raise SystemExit(
                f"{what}: {describe(r)} differs from the first sweep {describe(first)}"
            )

    step("undo, daily sweep under tracemalloc (peak memory)")
    undo_sweep()
    tracemalloc.start()
    r = run_daily(DAY)
    out["peak"] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out["traced_time"] = r["total"]
    same(r, "sweep under tracemalloc")

    step("undo, daily sweep under CaptureQueriesContext (queries)")
    undo_sweep()
    connection.queries_log = deque(maxlen=10_000_000)  # the default keeps the last 9,000
    meter = Meter()  # times each statement in the driver (the log rounds to milliseconds)
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(meter):
        r = run_daily(DAY)
    same(r, "sweep under CaptureQueriesContext")
    out["captured_time"] = r["total"]
    # The log also holds the transactions' COMMITs, which do not pass the execute wrapper.
    out["queries"] = len(ctx.captured_queries)
    kinds: Counter[str] = Counter(q["sql"].split(None, 1)[0].upper() for q in ctx.captured_queries)
    out["kinds"] = kinds.most_common()
    shapes: Counter[str] = Counter()
    shape_time: dict[str, float] = defaultdict(float)
    for sql, t in meter.seen:
        s = shape(sql)
        shapes[s] += 1
        shape_time[s] += t
    slowest = sorted(shapes, key=shape_time.__getitem__, reverse=True)[:12]
    out["shapes"] = [(shapes[s], shape_time[s], s) for s in slowest]
    out["db_time"] = sum(t for _sql, t in meter.seen)

    if profile:
        step("undo, daily sweep under cProfile")
        undo_sweep()
        prof = cProfile.Profile()
        r = prof.runcall(run_daily, DAY)
        same(r, "sweep under cProfile")
        prof.dump_stats(profile)
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf).strip_dirs()
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(30)
        out["profile"] = buf.getvalue()
    return out


def cpu_text(r: dict[str, Any], prefix: str) -> str:
    """CPU seconds spent: here, and by the database server when known."""
    text = f"CPU {fmt_s(r[prefix + 'cpu'])}"
    db = r.get(prefix + "db_cpu")
    return text if db is None else f"{text} + server {fmt_s(db)}"


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in rows)
    lines = [f"| {'what':<{width}} | figure |", f"|{'-' * (width + 2)}|---|"]
    lines += [f"| {k:<{width}} | {v} |" for k, v in rows]
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-bench-", dir="/tmp"))
    try:
        setup_django(args, tmp)
        run(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def iter_print(lines: Iterator[str] | list[str]) -> None:
    for line in lines:
        print(line)


def run(args: argparse.Namespace) -> None:
    import time_machine
    from django.db import connection

    from luoshi.accounts.models import User
    from luoshi.ledger.models import Assignment, Matter
    from luoshi.org.models import Unit

    database = describe_database()
    step(f"database: {database} — {connection.settings_dict['NAME']}")
    found = existing_matters()
    if found and not args.reuse:
        raise SystemExit(f"the database already has {found:,} matters: refusing to add to it "
                         "(--reuse sweeps a database this script generated)")  # fmt: skip
    rng = random.Random(SEED)  # noqa: S311 - deterministic test data, not security
    with time_machine.travel(NOW, tick=False):
        step("migrate, calendar, demo units and people")
        setup_time = prepare(args.reuse)
        if args.reuse:
            if not User.objects.filter(username__startswith=USER_PREFIX).exists():
                raise SystemExit("--reuse: this database was not generated by bench/sweep.py")
            step(f"reuse: undid a previous sweep of {DAY} for {undo_sweep():,} tasks")
            gen_time = 0.0
            units_time = 0.0
            due_ids = list(
                Assignment.objects.filter(next_remind_on__lte=DAY).values_list("pk", flat=True)
            )
            check = "reused database: not re-checked"
        else:
            set_sqlite_bulk_mode(True)
            step(f"units and people ({DEPARTMENTS} departments, {TOWNSHIPS} townships)")
            staffed, units_time = timed(lambda: make_units(rng))
            gen = Generator(rng, staffed)
            step(f"matters and assignments: {args.assignments:,}, {args.due:,} due on {DAY}")
            gen_time, due_ids = generate(gen, args.assignments, args.due, args.batch)
            set_sqlite_bulk_mode(False)
            step("checking a sample against schedule.plan")
            check = check_sample(gen, due_ids)
        n_assignments = Assignment.objects.count()
        n_matters = Matter.objects.count()
        n_units = Unit.objects.count()
        upcoming = upcoming_counts()
        if connection.vendor == "sqlite":
            size = Path(connection.settings_dict["NAME"]).stat().st_size
        else:
            with connection.cursor() as c:
                c.execute("SELECT pg_database_size(current_database())")
                size = int(c.fetchone()[0])
        out = run_sweeps(args.profile)

    first, again, found = out["first"], out["again"], out["found"]
    counts = first["counts"]
    rows = [
        ("database", database),
        ("assignments", f"{n_assignments:,} open ({n_matters:,} matters, {n_units:,} units)"),
        (f"due on {DAY}", f"{len(due_ids):,}"),
        ("generation time", "reused" if args.reuse else
         f"{fmt_s(units_time + gen_time)} (units/people {fmt_s(units_time)}, "
         f"ledger {fmt_s(gen_time)}); set-up {fmt_s(setup_time)}"),
        ("daily sweep (lights + reminders)", f"**{fmt_s(first['total'])}** "
                                             f"({cpu_text(first, '')})"),
        ("lights pass", f"{fmt_s(first['lights'])} ({cpu_text(first, 'lights_')}): "
                        f"{describe_lights(first)}"),
        ("reminder sweep", f"{fmt_s(first['reminders'])} ({cpu_text(first, 'reminders_')})"),
        ("tasks read / reminders fired", f"{counts['tasks']:,} / {counts['reminders']:,}"),
        ("digests", f"{counts['digests']:,} people ({out['outbox']:,} outbox rows), "
                    f"{counts['robots']} robot"),
        ("queries", f"{out['queries']:,} (lights {first['lights_queries']:,}, reminders "
                    f"{first['reminder_queries']:,}; {fmt_s(out['db_time'])} in the driver)"),
        ("peak memory (tracemalloc)", f"{out['peak'] / 1e6:.1f} MB"),
        ("second run, same day", f"{fmt_s(again['total'])} (lights {fmt_s(again['lights'])}, "
                                 f"reminders {fmt_s(again['reminders'])}): {describe(again)}"),
        ("first lights pass after the load" if not args.reuse else "lights pass, data as found",
         f"{fmt_s(found['lights'])}: {describe_lights(found)}"),
        ("raw index lookup", f"{fmt_s(out['raw_time'])} ({out['raw_rows']:,} ids, median of 5)"),
        ("same lookup as the sweep issues it", f"{fmt_s(out['orm_time'])} (no ORDER BY)"),
    ]  # fmt: skip
    print()
    print(table(rows))
    print()
    print(f"database size: {size / 1e6:,.0f} MB; {check}")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          f"(includes generation)")  # fmt: skip
    print(f"sweep under tracemalloc {fmt_s(out['traced_time'])}, under "
          f"CaptureQueriesContext {fmt_s(out['captured_time'])}")  # fmt: skip
    print("next_remind_on in the next days: "
          + ", ".join(f"{d:%m-%d} {n:,}" for d, n in upcoming))  # fmt: skip
    phases: Phases = out["phases"]
    print("where the timed sweep's time goes:")
    for name in phases.order:
        t, calls = phases.time[name], phases.calls[name]
        print(f"  {name:<46} {fmt_s(t):>10}  {calls:>7,} calls")
    print("queries by kind: " + ", ".join(f"{k} {n:,}" for k, n in out["kinds"]))
    print("slowest statements (count, time in driver, shape):")
    iter_print(f"  {n:>6,}  {fmt_s(t):>10}  {s}" for n, t, s in out["shapes"])
    print("query plans:")
    iter_print(f"  {line}" for line in out["explain"])
    if "profile" in out:
        print(out["profile"])


if __name__ == "__main__":
    main()
