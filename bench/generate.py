"""Generate a province-scale data set for bench/run.py, deterministically.

    python bench/generate.py [--assignments 1000000] [--due 5000] [--db PATH]
                             [--manifest PATH] [--seed 2026]

Full size (the default): 1,500 units, 6,000 people, 200,000 matters, 1,000,000 tasks,
about 3,000,000 progress reports (each with its revision) and the events a real run
writes, over 2022–2026, in every state and light. ``--assignments`` scales the ledger
down (``make bench`` uses 100,000); units and people stay full size.

The database is SQLite (``--db``, default ``var/bench/bench.sqlite3``) or PostgreSQL when
``DATABASE_URL`` is set. It must be empty of matters. The script migrates, seeds the
calendar and the demo city (``seed_demo`` without matters), adds the units and people
(``sweep_data.make_units`` plus two more people a unit, 20 inspectors, 8 leaders), then
loads the ledger (``gen_ledger``) through ``bulk.Loader`` with the big tables' secondary
indexes dropped and rebuilt, and checks it: no foreign key points nowhere, a sample passes
``full_clean``, and a sample of running tasks agrees with ``schedule.plan``.

Two accounts can log in for the HTTP benchmarks: ``office`` (督查室管理员, with a TOTP
device) and ``liaison_a`` (住建局联络员). Their password and TOTP secret are set here and
written to the manifest (JSON), with the facts bench/run.py needs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # luoshi
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the modules next to this one

from sweep_data import DAY, NOW, SEED, UNUSABLE, USER_PREFIX, person_name, step

ROOT = Path(__file__).resolve().parent.parent
BENCH_PASSWORD = "Bench#Luoshi-2026!"  # noqa: S105 - a throwaway benchmark database
BENCH_TOTP = "BENCHLUOSHIBENCHLUOSHIBENCHLUOSH"
BENCH_USERS = ("office", "liaison_a")
DEMO_WEIGHT = 10  # the demo departments (住建局, 生态环境局) take 10× a unit's share


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--assignments", type=int, default=1_000_000)
    ap.add_argument("--due", type=int, default=5_000, help="tasks with a reminder on DAY")
    ap.add_argument("--db", help="SQLite file (ignored when DATABASE_URL is set)")
    ap.add_argument("--manifest", help="where to write the manifest (JSON)")
    ap.add_argument("--seed", type=int, default=SEED)
    return ap.parse_args()


def setup_django(args: argparse.Namespace) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    os.environ.setdefault("LUOSHI_VAR_DIR", str(ROOT / "var"))
    os.environ.setdefault("LUOSHI_LOG_LEVEL", "WARNING")
    os.environ["LUOSHI_DEMO"] = "1"  # seed_demo refuses to run without it
    if not os.environ.get("DATABASE_URL"):
        path = Path(args.db or ROOT / "var" / "bench" / "bench.sqlite3").resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    return os.environ["DATABASE_URL"]


class Staff:
    """Who acts in the generated history, by primary key, and the units that take tasks."""

    def __init__(self, rng: random.Random, staffed: dict[int, Any]) -> None:
        from luoshi.accounts.models import User
        from luoshi.demo import data
        from luoshi.org.models import Unit

        self.rng = rng
        self.desk = Unit.objects.get(name=data.OFFICE).pk
        self.office = list(
            User.objects.filter(username__in=["office", "inspector"]).values_list("pk", flat=True)
        ) + list(
            User.objects.filter(username__startswith=f"{USER_PREFIX}insp_").values_list(
                "pk", flat=True
            )
        )
        self.leaders = list(
            User.objects.filter(username__in=["leader", "vleader"]).values_list("pk", flat=True)
        ) + list(
            User.objects.filter(username__startswith=f"{USER_PREFIX}leader_").values_list(
                "pk", flat=True
            )
        )
        self.units = list(staffed.values())
        demo = {data.HOUSING, data.ECOLOGY}
        weights = [DEMO_WEIGHT if u.name in demo else 1 for u, _p in self.units]
        self.cum = [sum(weights[: i + 1]) for i in range(len(weights))]

    def pick_unit(self) -> tuple[Any, Any]:
        return self.rng.choices(self.units, cum_weights=self.cum)[0]


def more_people(rng: random.Random, staffed: dict[int, Any]) -> int:
    """Two more people a unit (a second liaison, a deputy head), 20 inspectors and 8
    leaders for the office: about 6,000 people in all."""
    from luoshi.accounts.models import RoleGrant, User
    from luoshi.accounts.roles import Role
    from luoshi.demo import data
    from luoshi.org.models import Unit

    city = Unit.objects.get(name=data.CITY, parent=None)
    office = Unit.objects.get(name=data.OFFICE)
    people: list[tuple[Any, str, Any]] = []
    for unit, _p in staffed.values():
        if unit.name in {data.HOUSING, data.ECOLOGY}:
            continue
        people.append((unit, "s", Role.LIAISON))
        people.append((unit, "v", Role.UNIT_HEAD))
    users = [
        User(username=f"{USER_PREFIX}{u.pk}_{suffix}", name=person_name(rng), unit=u,
             title="经办人" if suffix == "s" else "分管负责人",
             phone=f"13{rng.randrange(10**9):09d}", password=UNUSABLE)
        for u, suffix, _r in people
    ]  # fmt: skip
    grants = [(user, role, user.unit) for user, (_u, _s, role) in zip(users, people, strict=True)]
    for i in range(20):
        users.append(User(username=f"{USER_PREFIX}insp_{i:02d}", name=person_name(rng),
                          unit=office, title="督查员", password=UNUSABLE))  # fmt: skip
        grants.append((users[-1], Role.INSPECTOR, city))
    for i in range(8):
        users.append(User(username=f"{USER_PREFIX}leader_{i}", name=person_name(rng),
                          unit=city, title="副市长", password=UNUSABLE))  # fmt: skip
        grants.append((users[-1], Role.LEADER, city))
    User.objects.bulk_create(users, batch_size=1000)
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=u, role=r, unit=scope) for u, r, scope in grants], batch_size=1000
    )
    return len(users)


def bench_logins() -> None:
    """A known password (and TOTP secret for the office) for the accounts run.py uses."""
    from django.utils import timezone

    from luoshi.accounts.models import User
    from luoshi.mfa.models import TotpDevice

    for user in User.objects.filter(username__in=BENCH_USERS):
        user.set_password(BENCH_PASSWORD)
        user.save()
    office = User.objects.get(username="office")
    TotpDevice.objects.update_or_create(
        user=office, defaults={"secret": BENCH_TOTP, "confirmed_at": timezone.now()}
    )


def number_sequences(numbers: dict[int, int]) -> None:
    """The last 事项编号 per year, so that a matter approved after the load gets the next."""
    from luoshi.demo import data
    from luoshi.ledger.models import NumberSequence
    from luoshi.org.models import Unit

    office = Unit.objects.get(name=data.OFFICE)
    for year, last in numbers.items():
        NumberSequence.objects.update_or_create(
            office=office, kind="matter", year=year, defaults={"last": last}
        )


def table_counts(models: list[Any]) -> dict[str, int]:
    from django.db import connection

    out = {}
    with connection.cursor() as c:
        for m in models:
            c.execute(f'SELECT COUNT(*) FROM "{m._meta.db_table}"')
            out[m._meta.db_table] = int(c.fetchone()[0])
    return out


def main() -> None:
    args = parse_args()
    url = setup_django(args)
    t0 = time.perf_counter()
    import bulk
    from django.core.management import call_command
    from django.db import connection
    from gen_ledger import LedgerWriter
    from sweep_data import Generator, check_sample, make_units

    from luoshi.accounts.models import User
    from luoshi.demo.services import seed_demo
    from luoshi.followup.models import ProgressReport, ReportRevision
    from luoshi.ledger import tally as matter_tally
    from luoshi.ledger.models import Assignment, CoUnit, Matter, MatterEvent, Milestone
    from luoshi.org.models import Unit
    from luoshi.workbench import tally
    from luoshi.workcal import calendar
    from luoshi.workcal.services import calendar_seed_from_package

    step(f"database {connection.vendor}: {url.split('@')[-1]}")
    call_command("migrate", verbosity=0)
    if Matter.objects.exists():
        raise SystemExit("这个数据库里已经有事项了：请换一个空数据库（--db 或 DATABASE_URL）。")
    calendar_seed_from_package()
    calendar.invalidate()
    seed_demo(with_matters=False)
    rng = random.Random(args.seed)  # noqa: S311 - deterministic data, not security
    staffed = make_units(rng)
    extra = more_people(rng, staffed)
    step(f"units {Unit.objects.count():,}, people {User.objects.count():,} (+{extra:,})")
    t_people = time.perf_counter() - t0

    gen = Generator(rng, staffed)
    staff = Staff(rng, staffed)
    models = [Matter, Assignment, CoUnit, Milestone, ProgressReport, ReportRevision, MatterEvent]
    writer = LedgerWriter(gen, staff, args.assignments, args.due)
    t1 = time.perf_counter()
    with bulk.bulk_mode(models, step):
        facts = writer.run(expected_running=int(args.assignments * 0.197))
        t_load = time.perf_counter() - t1
    t_index = time.perf_counter() - t1 - t_load
    bulk.reset_sequences(models)
    tally.rebuild()  # PostgreSQL loaded with triggers off: the 工作台 counts start from here
    matter_tally.recount()  # … and the ledger's tabs
    number_sequences(facts["numbers"])
    bench_logins()

    step("checking")
    t2 = time.perf_counter()
    problems = bulk.check_orphans(models)
    if problems:
        raise SystemExit("foreign keys point nowhere:\n" + "\n".join(problems))
    sampled = bulk.check_sample(models)
    due_ids = list(Assignment.objects.filter(next_remind_on__lte=DAY).values_list("pk", flat=True))
    if len(due_ids) != facts["due"]:
        raise SystemExit(f"{len(due_ids)} tasks due on {DAY}, wanted {facts['due']}")
    agree = check_sample(gen, due_ids, size=500)
    if tally.read().total() != Assignment.objects.count():
        raise SystemExit("工作台任务计数与任务表不一致")
    if sum(n for *_key, n in matter_tally.grid({})) != Matter.objects.count():
        raise SystemExit("台账事项计数与事项表不一致")
    t_check = time.perf_counter() - t2
    counts = table_counts([*models, Unit, User])
    total = time.perf_counter() - t0
    manifest = {
        "database": connection.vendor, "url": url, "assignments": args.assignments,
        "seed": args.seed, "as_of": NOW.isoformat(), "sweep_day": DAY.isoformat(),
        "due": facts["due"], "long_matter": facts["long_matter"],
        "circular_month": "2026-10", "users": {"office": "office", "liaison": "liaison_a"},
        "password": BENCH_PASSWORD, "totp_secret": BENCH_TOTP, "counts": counts,
        "seconds": {"people": round(t_people, 1), "load": round(t_load, 1),
                    "indexes": round(t_index, 1), "check": round(t_check, 1),
                    "total": round(total, 1)},
    }  # fmt: skip
    path = Path(args.manifest or ROOT / "var" / "bench" / f"manifest-{connection.vendor}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    for table, n in counts.items():
        print(f"  {table:<32} {n:>12,}")
    print(f"  {sampled:,} rows passed full_clean; {agree}; no foreign key points nowhere")
    print(f"generated in {total:,.1f} s (people {t_people:.1f} s, ledger {t_load:.1f} s, "
          f"indexes {t_index:.1f} s, checks {t_check:.1f} s); manifest {path}")  # fmt: skip


if __name__ == "__main__":
    main()
