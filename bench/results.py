"""A benchmark's figures, and the table bench/run.py prints (Markdown, for bench/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    name: str
    what: str
    runs: int
    median: float
    p95: float
    peak_mb: float
    statements: int = 0
    raw: float = 0.0
    target: str = ""
    note: str = ""
    times: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.median / self.raw if self.raw else 0.0


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def render(manifest: dict[str, Any], results: list[Result]) -> str:
    lines = [
        f"\n{manifest['database']}, {manifest['assignments']:,} tasks "
        f"({manifest['counts'].get('ledger_matter', 0):,} matters, "
        f"{manifest['counts'].get('followup_progressreport', 0):,} reports)",
        "| benchmark | what | runs | median | p95 | peak MB | SQL statements | raw SQL | "
        "app ÷ raw | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.what}{'（' + r.note + '）' if r.note else ''} | {r.runs} | "
            f"{fmt(r.median)} | {fmt(r.p95)} | {r.peak_mb:,.0f} | {r.statements} | "
            f"{fmt(r.raw)} | {r.ratio:.1f} | {r.target} |"
        )
    return "\n".join(lines)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"
