"""Working-day arithmetic: one million calls of each function on the seeded calendar.

Run: .venv/bin/python bench/calendar_bench.py   (uses the database of DATABASE_URL / var/)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from luoshi.workcal import calendar  # noqa: E402

CALLS = 1_000_000
RUNS = 3


def main() -> None:
    call_command("migrate", verbosity=0)
    starts = [date(2024, 1, 1) + timedelta(days=i % 700) for i in range(1000)]
    tracemalloc.start()
    t0 = time.perf_counter()
    calendar.invalidate()
    calendar.is_workday(date(2026, 1, 5))
    load = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"snapshot load: {load * 1000:.1f} ms, peak {peak / 1e6:.1f} MB")
    cases = {
        "is_workday": lambda d, i: calendar.is_workday(d),
        "add_workdays": lambda d, i: calendar.add_workdays(d, i % 40 - 5),
        "workdays_between": lambda d, i: calendar.workdays_between(d, d + timedelta(days=i % 60)),
    }
    for name, fn in cases.items():
        times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            for i in range(CALLS):
                fn(starts[i % 1000], i)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        print(f"{name:18} {CALLS:,} calls: median {med:.2f} s ({med / CALLS * 1e6:.2f} µs/call)")


if __name__ == "__main__":
    main()
