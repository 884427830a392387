"""The performance table: pages through the production server, and the jobs behind them.

    python bench/run.py [--manifest var/bench/manifest-sqlite.json] [--repeat 20]
                        [--only NAME,NAME] [--out results.json]

Reads the manifest bench/generate.py wrote (database, accounts, ids), starts gunicorn on
that database (one sync worker), logs in as the office (password + TOTP) and as a unit
liaison through the real login pages, and times each benchmark as the client sees it:
median and p95 over ``--repeat`` runs after one warm-up, and the worker's peak resident
memory during them. Beside each figure: the same request's reading statements replayed as
raw SQL on a bare cursor (bench/capture.py), and the ratio app ÷ raw SQL. The daily sweep
runs in a child process (bench/run_jobs.py) with the clock at the sweep day.

Only the standard library and the project's own dependencies.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from results import Result, p95, render  # noqa: E402
from server import Server, server_env  # noqa: E402
from webclient import WebClient  # noqa: E402

LIST_TARGET, DASHBOARD_TARGET = 0.100, 0.300


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", default=str(ROOT / "var" / "bench" / "manifest-sqlite.json"))
    ap.add_argument("--repeat", type=int, default=20, help="runs per page (after a warm-up)")
    ap.add_argument("--heavy-repeat", type=int, default=3, help="runs of export/import/sweep")
    ap.add_argument("--only", default="", help="comma-separated benchmark names")
    ap.add_argument("--out", help="write the results as JSON here too")
    return ap.parse_args()


def setup(manifest: dict[str, Any], var_dir: str) -> dict[str, str]:
    env = server_env(manifest["url"], var_dir)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a migration added since the data was generated
    call_command("collectstatic", interactive=False, verbosity=0)
    return env


class Bench:
    def __init__(self, manifest: dict[str, Any], server: Server, args: argparse.Namespace):
        from luoshi.accounts.models import User

        self.m, self.server, self.args = manifest, server, args
        self.users = {k: User.objects.get(username=v) for k, v in manifest["users"].items()}
        self.clients: dict[str, WebClient] = {}
        for key, user in self.users.items():
            client = WebClient(server.base)
            secret = manifest["totp_secret"] if key == "office" else None
            client.login(user.username, manifest["password"], secret)
            self.clients[key] = client
        self.results: list[Result] = []

    def client_for(self, who: str) -> WebClient:
        return self.clients[who]

    def page(self, name: str, what: str, who: str, path: str, target: float = LIST_TARGET,
             note: str = "") -> None:  # fmt: skip
        from urllib.parse import quote

        from capture import capture, replay

        path = quote(path, safe="/?=&%-_.~")  # Chinese keywords, percent-encoded
        client = self.clients[who]
        first = client.get(path)  # warm-up (and a check that the page works)
        if first.status != 200:
            raise SystemExit(f"{name}: {path} answered {first.status}")
        self.server.reset_peak()
        times = [client.get(path).seconds for _ in range(self.args.repeat)]
        _rss, peak = self.server.memory_mb()
        _status, rec = capture(self.users[who], "GET", path)
        raws = [replay(rec.statements) for _ in range(max(3, self.args.repeat // 4))]
        goal = f"p95 ≤ {target * 1000:.0f} ms" if target else "—"  # 0: no target (立即刷新)
        self.results.append(Result(
            name, what, len(times), statistics.median(times), p95(times), peak,
            len(rec.statements), statistics.median(raws), goal, note, times,
        ))  # fmt: skip
        self.say(self.results[-1])

    def say(self, r: Result) -> None:
        print(f"  {r.name:<22} median {r.median * 1000:8.1f} ms  p95 {r.p95 * 1000:8.1f} ms  "
              f"peak {r.peak_mb:6.0f} MB  sql {r.statements:4d} in {r.raw * 1000:7.1f} ms  "
              f"×{r.ratio:5.1f}  {r.note}", flush=True)  # fmt: skip


def main() -> None:
    args = parse_args()
    manifest = json.loads(Path(args.manifest).read_text())
    var_dir = str(ROOT / "var" / "bench" / "server")
    env = setup(manifest, var_dir)
    import pages
    from jobs import circular_bench, export_bench, import_bench, sweep_bench

    only = {n for n in args.only.split(",") if n}
    print(f"database {manifest['database']}, {manifest['assignments']:,} tasks; "
          f"repeat {args.repeat} (heavy {args.heavy_repeat})", flush=True)  # fmt: skip
    with Server(env) as server:
        bench = Bench(manifest, server, args)
        for item in pages.PAGES:
            if not only or item.name in only:
                path, note = item.path(manifest)
                bench.page(item.name, item.what, item.who, path, item.target, note)
        for job in (export_bench, import_bench, circular_bench):
            if not only or job.__name__.split("_")[0] in only:
                bench.results.append(job(bench))
                bench.say(bench.results[-1])
    if not only or "sweep" in only:
        bench.results.append(sweep_bench(args, manifest, env))
        bench.say(bench.results[-1])
    table = render(manifest, bench.results)
    print(table)
    if args.out:
        Path(args.out).write_text(json.dumps([asdict(r) for r in bench.results],
                                             ensure_ascii=False, indent=1))  # fmt: skip


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        t0 = time.perf_counter()
        main()
        print(f"\nbench/run.py took {time.perf_counter() - t0:,.0f} s")
