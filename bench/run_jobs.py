"""The daily sweep for bench/run.py, in its own process (its peak memory is its own).

With the clock at the sweep day's 08:00 (time-machine, as in bench/sweep.py) it runs the
nightly lights pass (``lights_daily``) and the reminder sweep (``sweep``) ``--repeat``
times, undoing each sweep first (bench/sweep.py's ``undo_sweep``), and prints one JSON line:
the times, the reading statements of one run replayed as raw SQL, and the peak memory.
Environment (database, settings) as bench/run.py passes it."""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import django

    django.setup()
    import time_machine
    from capture import Recorder, replay
    from django.db import connection
    from sweep import undo_sweep
    from sweep_data import DAY, NOW

    from luoshi.ledger.loops import lights_daily
    from luoshi.reminders.models import Reminder
    from luoshi.reminders.sweep import sweep
    from luoshi.workcal import calendar

    calendar.invalidate()
    times: list[float] = []
    fired = 0
    recorder = Recorder()
    with time_machine.travel(NOW, tick=False):
        for i in range(args.repeat + 1):  # the last run is recorded, not timed
            undo_sweep()
            t = time.perf_counter()
            if i == args.repeat:
                with connection.execute_wrapper(recorder):
                    lights_daily()
                    sweep(DAY)
                break
            lights_daily()
            sweep(DAY)
            times.append(time.perf_counter() - t)
            fired = Reminder.objects.filter(fired_on=DAY).count()
    due = date.fromisoformat(DAY.isoformat())
    print(json.dumps({
        "times": times, "statements": len(recorder.statements), "raw": replay(recorder.statements),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "note": f"{due}：提醒 {fired:,} 条；进程峰值内存",
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
