"""The ledger as an .xlsx in the offices' layout, written row by row with bounded memory.

XlsxWriter's constant_memory mode flushes each row when the next one starts, so rows are
written strictly in order and matters are read in keyset chunks of a fixed number of
queries (matters, their visible assignments with the latest report, their co-units)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped, unused-ignore]
from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from luoshi.followup.models import ProgressReport
from luoshi.followup.states import ReportStatus
from luoshi.ledger import filters
from luoshi.ledger.forms import FilterForm
from luoshi.ledger.models import Assignment, CoUnit, Matter
from luoshi.ledger.selectors import assignment_queryset_for
from luoshi.ledger.states import AssignmentStatus, Light, MatterStatus
from luoshi.sheets.columns import EXPORT_HEADERS, EXPORT_WIDTHS, MATTER_COLUMNS
from luoshi.sheets.sources import source_text

TITLE = "督查事项台账"
DEFAULT_CHUNK = 500
LIGHT_TEXT = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}
LIGHT_FILL = {Light.RED: "#FFC7CE", Light.YELLOW: "#FFEB9C", Light.GREEN: "#C6EFCE"}
REPORTED = [ReportStatus.PENDING_REVIEW, ReportStatus.ACCEPTED]


def chunk_size() -> int:
    return int(getattr(settings, "SHEETS_EXPORT_CHUNK", DEFAULT_CHUNK))


def filter_summary(form: FilterForm) -> str:
    """“来源：会议议定；年度：2026” from the valid, non-empty filters."""
    if not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", []) or name == "sort":
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        shown = choices.get(value, choices.get(str(value), value))
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts)


def _rows_qs(user: Any) -> QuerySet[Assignment]:
    latest = ProgressReport.objects.filter(
        assignment=OuterRef("pk"), kind=ProgressReport.LEAD, status__in=REPORTED
    ).order_by("-submitted_at", "-id")
    return (
        assignment_queryset_for(user)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("lead_unit")
        .prefetch_related(Prefetch("co_units", CoUnit.objects.select_related("unit")))
        .annotate(
            report_text=Subquery(latest.values("text")[:1]),
            report_at=Subquery(latest.values("submitted_at")[:1]),
        )
        .order_by("id")
    )


def matter_chunks(user: Any, qs: QuerySet[Matter], sort: str | None) -> Iterator[list[Matter]]:
    """The filtered matters in the ledger's order, ``chunk_size()`` at a time (keyset)."""
    qs = qs.prefetch_related(Prefetch("assignments", _rows_qs(user), to_attr="rows"))
    cursor = None
    while True:
        page = filters.keyset_page(qs, sort, cursor, chunk_size())
        if page.rows:
            yield page.rows
        if not page.next_cursor:
            return
        cursor = page.next_cursor


class Writer:
    """One worksheet: title, frozen header, then each matter's rows with merged cells."""

    def __init__(self, target: IO[bytes], summary: str, now: datetime) -> None:
        self.book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
        self.ws = self.book.add_worksheet("督查台账")
        fmt = self.book.add_format
        base = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_size": 10}
        self.cell = fmt(base)
        self.center = fmt({**base, "align": "center"})
        self.date = fmt({**base, "align": "center", "num_format": "yyyy-mm-dd"})
        self.lights = {k: fmt({**base, "align": "center", "bg_color": v})
                       for k, v in LIGHT_FILL.items()}  # fmt: skip
        head = fmt({**base, "bold": True, "align": "center", "bg_color": "#DDEBF7"})
        title = fmt({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        note = fmt({"font_size": 9, "align": "right"})
        last = len(EXPORT_HEADERS) - 1
        for col, width in enumerate(EXPORT_WIDTHS):
            self.ws.set_column(col, col, width)
        self.ws.set_row(0, 30)
        self.ws.merge_range(0, 0, 0, last, TITLE, title)
        stamp = f"导出时间：{now:%Y-%m-%d %H:%M}"
        self.ws.merge_range(1, 0, 1, last, f"{summary}　{stamp}" if summary else stamp, note)
        for col, label in enumerate(EXPORT_HEADERS):
            self.ws.write(2, col, label, head)
        self.ws.freeze_panes(3, 0)
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.repeat_rows(2)
        self.ws.fit_to_pages(1, 0)
        self.row = 3
        self.seq = 0

    def matter(self, m: Matter) -> None:
        rows: list[Assignment] = getattr(m, "rows", [])
        first, count = self.row, max(len(rows), 1)
        self.seq += 1
        values = [self.seq, m.number, m.title, source_text(m)]
        if count > 1:
            # Registered while its first row is current; the covered cells are written
            # below, in row order, since constant_memory drops writes to earlier rows.
            self.ws.constant_memory = False
            for col in range(MATTER_COLUMNS):
                self.ws.merge_range(first, col, first + count - 1, col, "", self.cell)
            self.ws.constant_memory = True
        for i in range(count):
            row = first + i
            for col, value in enumerate(values):
                if i == 0:
                    self.ws.write(row, col, value, self.center if col < 2 else self.cell)
                else:
                    self.ws.write_blank(row, col, None, self.center if col < 2 else self.cell)
            self._assignment(row, m, rows[i] if rows else None)
        self.row += count

    def _assignment(self, row: int, m: Matter, a: Assignment | None) -> None:
        ws, col = self.ws, MATTER_COLUMNS
        if a is None:
            for c in range(col, len(EXPORT_HEADERS)):
                ws.write_blank(row, c, None, self.cell)
            ws.write(row, col + 6, str(MatterStatus(m.status).label), self.center)
            return
        ws.write(row, col, a.lead_unit.name if a.lead_unit else "", self.cell)
        ws.write(row, col + 1, "、".join(c.unit.name for c in a.co_units.all()), self.cell)
        ws.write(row, col + 2, a.responsible_leader, self.center)
        ws.write(row, col + 3, a.responsible_person, self.center)
        if a.due_date:
            ws.write_datetime(row, col + 4, datetime.combine(a.due_date, datetime.min.time()),
                              self.date)  # fmt: skip
        else:
            ws.write(row, col + 4, "长期" if m.long_term else "", self.center)
        report = ""
        text = getattr(a, "report_text", None)  # annotated in _rows_qs
        if text:
            at = timezone.localtime(getattr(a, "report_at"))  # noqa: B009
            report = f"{text}（{at:%Y-%m-%d}）"
        ws.write(row, col + 5, report, self.cell)
        ws.write(row, col + 6, str(AssignmentStatus(a.status).label), self.center)
        light = LIGHT_TEXT.get(Light(a.light)) if a.light else None
        if light:
            ws.write(row, col + 7, light, self.lights[Light(a.light)])
        else:
            ws.write_blank(row, col + 7, None, self.center)

    def close(self) -> None:
        self.book.close()


def export_ledger(user: Any, form: FilterForm, qs: QuerySet[Matter]) -> IO[bytes]:
    """The workbook in a temporary file (gone once closed), positioned at its start."""
    data = form.cleaned_data if form.is_valid() else {}
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    writer = Writer(target, filter_summary(form), timezone.localtime())
    for chunk in matter_chunks(user, filters.apply_filters(qs, data), data.get("sort")):
        for m in chunk:
            writer.matter(m)
    writer.close()
    target.seek(0)
    return target
