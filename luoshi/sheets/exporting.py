"""The ledger as an .xlsx in the offices' layout, streamed row by row with bounded memory.

Matters are read in keyset chunks, each with a fixed number of queries (the matters; their
visible tasks as tuples; the tasks' co-units; each task's latest lead report), and written
by the streaming writer (luoshi/sheets/xlsx.py): a province's 100,000 rows are a few
seconds, not the minutes model instances and a cell-by-cell writer took."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
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
from luoshi.sheets.xlsx import Format, PrintSetup, Sheet

TITLE = "督查事项台账"
DEFAULT_CHUNK = 1000
LIGHT_TEXT = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}
REPORTED = [ReportStatus.PENDING_REVIEW, ReportStatus.ACCEPTED]
# What a row shows of a matter (source_text reads the source's details).
MATTER_FIELDS = (
    "id", "number", "title", "status", "long_term", "source", "meeting_name", "meeting_date",
    "instructing_leader", "received_on", "instruction_text", "doc_number", "doc_issuer",
)  # fmt: skip
TASK_FIELDS = ("id", "matter_id", "lead_unit__name", "responsible_leader",
               "responsible_person", "due_date", "status", "light")  # fmt: skip
STATUS_TEXT = {value: str(label) for value, label in AssignmentStatus.choices}
MATTER_STATUS_TEXT = {value: str(label) for value, label in MatterStatus.choices}

# Cell formats, by index into FORMATS.
_BASE = Format(border=True, valign="center", wrap=True, size=10)
CELL, CENTER, DATE, HEAD, TITLE_FMT, NOTE, RED, YELLOW, GREEN = range(9)
FORMATS = [
    _BASE,
    replace(_BASE, align="center"),
    replace(_BASE, align="center", num_format="yyyy-mm-dd"),
    replace(_BASE, align="center", bold=True, fill="DDEBF7"),
    Format(bold=True, size=16, align="center", valign="center"),
    Format(size=9, align="right"),
    replace(_BASE, align="center", fill="FFC7CE"),
    replace(_BASE, align="center", fill="FFEB9C"),
    replace(_BASE, align="center", fill="C6EFCE"),
]
LIGHT_FORMAT = {Light.RED: RED, Light.YELLOW: YELLOW, Light.GREEN: GREEN}


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


def matter_chunks(qs: QuerySet[Matter], sort: str | None) -> Iterator[list[Matter]]:
    """The filtered matters in the ledger's order, ``chunk_size()`` at a time (keyset)."""
    column, _desc = filters.SORTS.get(sort or "", filters.SORTS[""])
    fields = MATTER_FIELDS if column in MATTER_FIELDS or column == "sort_due" else (
        *MATTER_FIELDS, column)  # fmt: skip
    qs = qs.only(*fields)
    cursor = None
    while True:
        page = filters.keyset_page(qs, sort, cursor, chunk_size())
        if page.rows:
            yield page.rows
        if not page.next_cursor:
            return
        cursor = page.next_cursor


class Rows:
    """A chunk's task rows as tuples, by matter, with their co-units and latest report."""

    def __init__(self, visible: QuerySet[Assignment], matter_ids: list[int]) -> None:
        self.tasks: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        tasks = (
            visible.filter(matter_id__in=matter_ids)
            .exclude(status=AssignmentStatus.CANCELLED)
            .order_by("matter_id", "id")
            .values_list(*TASK_FIELDS)
        )
        for row in tasks:
            self.tasks[row[1]].append(row)
        # Co-units and reports by the chunk's matters (a short list of parameters, whatever
        # the number of tasks): rows of tasks this user cannot see are read, never shown.
        self.co_units: dict[int, list[str]] = defaultdict(list)
        co = CoUnit.objects.filter(assignment__matter_id__in=matter_ids).order_by("id")
        for task_id, name in co.values_list("assignment_id", "unit__name"):
            self.co_units[task_id].append(name)
        newest_first = [F("submitted_at").desc(), F("id").desc()]
        rank = Window(RowNumber(), partition_by=[F("assignment_id")], order_by=newest_first)
        latest = (
            ProgressReport.objects.filter(
                assignment__matter_id__in=matter_ids, kind=ProgressReport.LEAD, status__in=REPORTED
            )
            .annotate(rank=rank)
            .filter(rank=1)
            .values_list("assignment_id", "text", "submitted_at")
        )
        self.reports = {task_id: (text, at) for task_id, text, at in latest}
        self.tz = timezone.get_current_timezone()  # once, not per report (a thread-local)


class Writer:
    """One worksheet: title, frozen header, then each matter's rows with merged cells."""

    def __init__(self, target: IO[bytes], summary: str, now: datetime) -> None:
        setup = PrintSetup(landscape=True, paper=9, fit_width=True, repeat_rows=(2, 2))
        self.sheet = Sheet(target, "督查台账", FORMATS, EXPORT_WIDTHS, freeze_rows=3, setup=setup)
        last = len(EXPORT_HEADERS) - 1
        stamp = f"导出时间：{now:%Y-%m-%d %H:%M}"
        self.sheet.row([(TITLE, TITLE_FMT)], height=30)
        self.sheet.row([(f"{summary}　{stamp}" if summary else stamp, NOTE)])
        self.sheet.merge(0, 0, 0, last)
        self.sheet.merge(1, 0, 1, last)
        self.sheet.row([(label, HEAD) for label in EXPORT_HEADERS])
        self.seq = 0
        width = len(EXPORT_HEADERS) - MATTER_COLUMNS
        self.blank_task: list[tuple[Any, int]] = [(None, CELL)] * width

    def matter(self, m: Matter, rows: Rows) -> None:
        tasks = rows.tasks.get(m.pk, [])
        self.seq += 1
        first = self.sheet.row_index
        head = [(self.seq, CENTER), (m.number, CENTER), (m.title, CELL), (source_text(m), CELL)]
        if not tasks:
            cells: list[tuple[Any, int]] = list(self.blank_task)
            cells[6] = (MATTER_STATUS_TEXT.get(m.status, m.status), CENTER)
            self.sheet.row(head + cells)
            return
        blank: list[tuple[Any, int]] = [(None, CENTER), (None, CENTER), (None, CELL), (None, CELL)]
        for i, task in enumerate(tasks):
            self.sheet.row((head if i == 0 else blank) + self._task(m, task, rows))
        if len(tasks) > 1:
            for col in range(MATTER_COLUMNS):
                self.sheet.merge(first, col, first + len(tasks) - 1, col)

    @staticmethod
    def _task(m: Matter, task: tuple[Any, ...], rows: Rows) -> list[tuple[Any, int]]:
        pk, _matter, lead, leader, person, due, status, light = task
        deadline: tuple[Any, int]
        if isinstance(due, date):
            deadline = (due, DATE)
        else:
            deadline = ("长期" if m.long_term else None, CENTER)
        report = ""
        latest = rows.reports.get(pk)
        if latest and latest[0]:
            report = f"{latest[0]}（{latest[1].astimezone(rows.tz):%Y-%m-%d}）"
        shown = LIGHT_TEXT.get(light) if light else None
        return [
            (lead or "", CELL),
            ("、".join(rows.co_units.get(pk, ())), CELL),
            (leader, CENTER),
            (person, CENTER),
            deadline,
            (report, CELL),
            (STATUS_TEXT.get(status, status), CENTER),
            (shown, LIGHT_FORMAT[light]) if shown else (None, CENTER),
        ]

    def close(self) -> None:
        self.sheet.close()


def export_ledger(user: Any, form: FilterForm, qs: QuerySet[Matter]) -> IO[bytes]:
    """The workbook in a temporary file (gone once closed), positioned at its start."""
    data = form.cleaned_data if form.is_valid() else {}
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    writer = Writer(target, filter_summary(form), timezone.localtime())
    visible = assignment_queryset_for(user)  # the user's scope, looked up once
    for chunk in matter_chunks(filters.apply_filters(qs, data), data.get("sort")):
        rows = Rows(visible, [m.pk for m in chunk])
        for m in chunk:
            writer.matter(m, rows)
    writer.close()
    target.seek(0)
    return target
