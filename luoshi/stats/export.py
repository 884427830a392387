"""The dashboard as an Excel workbook: 总体, 按单位, 月度趋势, 分类统计."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import xlsxwriter

from luoshi.stats.breakdowns import DIMENSIONS
from luoshi.stats.dashboard import Dashboard
from luoshi.stats.figures import RATE_LABELS, RATE_NAMES, Figures, Rate, Scope
from luoshi.stats.links import RATE_PARTS


def scope_text(d: Dashboard) -> str:
    return describe(d.scope, d.today)


def describe(s: Scope, today: date) -> str:
    parts = [f"{s.year}年度" if s.year else "全部年度"]
    if s.date_from or s.date_to:
        parts.append(f"交办于 {s.date_from or '…'} 至 {s.date_to or '…'}")
    if s.leader_id:
        from luoshi.accounts.models import User

        leader = User.objects.filter(pk=s.leader_id).first()
        parts.append(f"分管领导 {leader.name if leader else s.leader_id}")
    if s.unit is not None:
        parts.append(f"{s.unit.name}（含下级）")
    parts.append(f"截至 {today:%Y-%m-%d}")
    return "，".join(parts)


class _Book:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.note = self.book.add_format({"font_color": "#6b7280"})
        self.head = self.book.add_format(
            {"bold": True, "bg_color": "#f3f4f6", "border": 1, "text_wrap": True}
        )
        self.cell = self.book.add_format({"border": 1})
        self.pct = self.book.add_format({"border": 1, "num_format": "0.0"})

    def sheet(self, name: str, title: str, subtitle: str, header: list[str],
              widths: list[int]) -> Any:  # fmt: skip
        ws = self.book.add_worksheet(name)
        ws.write(0, 0, title, self.title)
        ws.write(1, 0, subtitle, self.note)
        for col, (text, width) in enumerate(zip(header, widths, strict=True)):
            ws.write(2, col, text, self.head)
            ws.set_column(col, col, width)
        ws.freeze_panes(3, 0)
        return ws

    def row(self, ws: Any, r: int, values: list[Any]) -> None:
        for col, value in enumerate(values):
            ws.write(r, col, value, self.cell)

    def rate(self, ws: Any, r: int, col: int, rate: Rate) -> None:
        if rate.percent is None:
            ws.write(r, col, "—", self.cell)
        else:
            ws.write_number(r, col, rate.percent, self.pct)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _unit_values(f: Figures) -> list[Any]:
    return [f.tasks, f.completed, f.overdue]


def workbook(d: Dashboard) -> bytes:
    x = _Book()
    sub = scope_text(d)
    ws = x.sheet("总体", "督查督办统计 · 总体情况", sub,
                 ["指标", "比率（%）", "分子", "分母", "说明"], [14, 12, 10, 10, 36])  # fmt: skip
    r = 3
    for name in RATE_NAMES:
        rate = getattr(d.overall, name)
        num_label, _nf, den_label, _df, word = RATE_PARTS[name]
        x.row(ws, r, [RATE_LABELS[name], "", rate.numerator, rate.denominator,
                      f"{num_label}（{word}）÷ {den_label}（{word}）"])  # fmt: skip
        x.rate(ws, r, 1, rate)
        r += 1
    for label, value in (("任务总数", d.overall.tasks), ("已办结", d.overall.completed),
                         ("逾期", d.overall.overdue),
                         ("红灯", d.overall.lights.get("red", 0)),
                         ("黄灯", d.overall.lights.get("yellow", 0)),
                         ("绿灯", d.overall.lights.get("green", 0))):  # fmt: skip
        x.row(ws, r, [label, "", value, "", "项任务"])
        r += 1

    rate_heads = [f"{RATE_LABELS[n]}（%）" for n in RATE_NAMES]
    ws = x.sheet("按单位", "督查督办统计 · 单位排名", sub,
                 ["排名", "牵头单位", "任务", "已办结", "逾期", *rate_heads],
                 [6, 28, 8, 8, 8, *[12] * len(RATE_NAMES)])  # fmt: skip
    for i, u in enumerate(d.units, start=1):
        x.row(ws, 2 + i, [i, u.unit_name, *_unit_values(u)])
        for j, name in enumerate(RATE_NAMES):
            x.rate(ws, 2 + i, 5 + j, getattr(u, name))

    ws = x.sheet("月度趋势", f"督查督办统计 · {d.trend_year}年月度趋势", sub,
                 ["月份", "交办任务", "办结任务", "其中按期办结", "事项立项", "事项销号"],
                 [8, 10, 10, 12, 10, 10])  # fmt: skip
    for i, m in enumerate(d.trend, start=3):
        x.row(ws, i, [m.label, m.assigned, m.completed, m.on_time, m.approved, m.closed])

    ws = x.sheet("分类统计", "督查督办统计 · 事项分类", sub, ["分类", "项目", "事项数"],
                 [12, 16, 10])  # fmt: skip
    r = 3
    for name, (label, _choices) in DIMENSIONS.items():
        for b in d.totals[name]:
            x.row(ws, r, [label, b.label, b.count])
            r += 1
    return x.close()
