"""The heavy benchmarks of bench/run.py: .xlsx export and import through the server, the
monthly circular, and the daily sweep (in a child process, bench/run_jobs.py).

Each leaves the data set as it found it: imported matters, generated circulars and the
sweep's reminders are removed after each run, so the benchmark can be repeated."""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from results import Result, p95

HERE = Path(__file__).resolve().parent
EXPORT_ROWS = 100_000
IMPORT_MATTERS, IMPORT_TASKS = 1_000, 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filter(target: int) -> tuple[str, int]:
    """The ledger filter whose export has the number of task rows closest to ``target``."""
    from luoshi.ledger.models import Assignment, Priority, Source

    years = range(2022, 2027)
    candidates = [""] + [f"year={y}" for y in years] + [
        f"year={y}&{field}={value}" for y in years
        for field, values in (("category", ("decision", "special", "routine")),
                              ("source", Source.values), ("priority", Priority.values))
        for value in values
    ]  # fmt: skip
    best = ("", 0, float("inf"))
    for query in candidates:
        qs = Assignment.objects.exclude(status="cancelled")
        for part in filter(None, query.split("&")):
            key, value = part.split("=")
            qs = qs.filter(**{f"matter__{key}": int(value) if key == "year" else value})
        n = qs.count()
        if abs(n - target) < best[2]:
            best = (query, n, abs(n - target))
    return best[0], best[1]


def export_bench(bench: Any) -> Result:
    from capture import capture, replay

    from luoshi.ledger.models import Assignment

    target = min(EXPORT_ROWS, Assignment.objects.count())
    query, rows = export_filter(target)
    path = "/sheets/ledger.xlsx" + (f"?{query}" if query else "")
    client = bench.client_for("office")
    bench.server.reset_peak()
    times, size = [], 0
    for _ in range(bench.args.heavy_repeat):
        r = client.get(path)
        if r.status != 200:
            raise SystemExit(f"export answered {r.status}")
        times.append(r.seconds)
        size = len(r.body)
    _rss, peak = bench.server.memory_mb()
    _status, rec = capture(bench.users["office"], "GET", path)
    raw = replay(rec.statements)
    return Result("export", "导出台账 .xlsx", len(times), statistics.median(times), p95(times),
                  peak, len(rec.statements), raw, "≤ 10 s，≤ 300 MB",
                  f"{rows:,} 行任务，{size / 1e6:.1f} MB，{query or '全部'}", times)  # fmt: skip


def import_sheet() -> bytes:
    """A 责任分解表 of 5,000 rows: 1,000 matters of 5 tasks, lead and co-units by name."""
    from openpyxl import Workbook

    from luoshi.org.models import Unit, UnitKind

    names = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk")
                 .values_list("name", flat=True)[:300])  # fmt: skip
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "事项名称", "工作任务", "牵头单位", "配合单位", "责任领导", "责任人",
               "完成时限"])  # fmt: skip
    for m in range(IMPORT_MATTERS):
        for t in range(IMPORT_TASKS):
            first = t == 0
            ws.append([m + 1 if first else None,
                       f"2027年重点工作第{m + 1}项：推进城市更新行动" if first else None,
                       f"牵头完成第{t + 1}项分解任务，按月报送进展",
                       names[(m * IMPORT_TASKS + t) % len(names)],
                       names[(m * IMPORT_TASKS + t + 7) % len(names)], "王明", "李华",
                       "2027-06-30"])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _forget_import(batch_ids: list[int]) -> None:
    from luoshi.ledger.models import Matter
    from luoshi.sheets.models import SheetImport

    for batch in SheetImport.objects.filter(pk__in=batch_ids):
        Matter.objects.filter(pk__in=batch.created_matters or []).delete()
        batch.delete()


def import_bench(bench: Any) -> Result:
    from capture import capture, replay
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.sheets.models import SheetImport

    data = import_sheet()
    form = {"year": "2027", "source": "work_report", "category": "decision"}
    client = bench.client_for("office")
    bench.server.reset_peak()
    uploads, confirms, batches = [], [], []
    for _ in range(bench.args.heavy_repeat):
        client.get("/sheets/import/")
        r = client.upload("/sheets/import/", form, "file", "责任分解表.xlsx", data, XLSX)
        if "/sheets/import/" not in r.url or r.url.rstrip("/").endswith("import"):
            raise SystemExit(f"import upload ended on {r.url} ({r.status})")
        pk = int(r.url.rstrip("/").rsplit("/", 1)[1])
        batches.append(pk)
        c = client.post(f"/sheets/import/{pk}/confirm/", {})
        created = len(SheetImport.objects.get(pk=pk).created_matters or [])
        if created != IMPORT_MATTERS:
            raise SystemExit(f"import created {created} matters, wanted {IMPORT_MATTERS}")
        uploads.append(r.seconds)
        confirms.append(c.seconds)
        _forget_import([pk])
    _rss, peak = bench.server.memory_mb()
    upload = SimpleUploadedFile("责任分解表.xlsx", data, content_type=XLSX)
    office = bench.users["office"]
    _status, rec = capture(office, "POST", "/sheets/import/", {**form, "file": upload})
    _forget_import(list(SheetImport.objects.exclude(pk__in=batches).filter(
        created_by=bench.users["office"]).values_list("pk", flat=True)))  # fmt: skip
    totals = [u + c for u, c in zip(uploads, confirms, strict=True)]
    return Result("import", "导入责任分解表 5,000 行", len(totals), statistics.median(totals),
                  p95(totals), peak, len(rec.statements), replay(rec.statements), "",
                  f"上传预览 {statistics.median(uploads):.1f} s + 确认 "
                  f"{statistics.median(confirms):.1f} s；SQL 为上传预览的读取", totals)  # fmt: skip


def circular_bench(bench: Any) -> Result:
    from capture import capture, replay

    from luoshi.documents.models import OfficialDocument

    month = bench.m["circular_month"]
    form = {"template": "monthly", "period": month, "kind": "", "matter": ""}
    client = bench.client_for("office")
    before = set(OfficialDocument.objects.values_list("pk", flat=True))
    bench.server.reset_peak()
    times, units = [], 0
    for _ in range(bench.args.heavy_repeat):
        client.get("/documents/new/?template=monthly")
        r = client.post("/documents/new/", form)
        if "/edit/" not in r.url:
            raise SystemExit(f"circular ended on {r.url} ({r.status})")
        times.append(r.seconds)
        doc = OfficialDocument.objects.exclude(pk__in=before).order_by("-pk").first()
        units = len((doc.table or {}).get("rows", [])) if doc else 0
        OfficialDocument.objects.exclude(pk__in=before).delete()
    _rss, peak = bench.server.memory_mb()
    _status, rec = capture(bench.users["office"], "POST", "/documents/new/", form)
    OfficialDocument.objects.exclude(pk__in=before).delete()
    return Result("circular", f"月度督查通报（{month}）", len(times), statistics.median(times),
                  p95(times), peak, len(rec.statements), replay(rec.statements), "",
                  f"表中 {units:,} 个单位；含转到编辑页", times)  # fmt: skip


def sweep_bench(args: Any, manifest: dict[str, Any], env: dict[str, str]) -> Result:
    cmd = [sys.executable, str(HERE / "run_jobs.py"), "--repeat", str(args.heavy_repeat)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if out.returncode != 0:
        raise SystemExit(f"the sweep child failed:\n{out.stdout}\n{out.stderr}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return Result("sweep", f"每日巡检（亮灯 + 提醒，{manifest['sweep_day']}）", len(r["times"]),
                  statistics.median(r["times"]), p95(r["times"]), r["peak_mb"],
                  r["statements"], r["raw"], "≤ 10 s", r["note"], r["times"])  # fmt: skip
