"""The matter's event log (事项记录) as rows, as an Excel workbook and as CSV."""

from __future__ import annotations

import csv
import io
import json

import xlsxwriter

from luoshi.dossier.fmt import person, stamp
from luoshi.followup.states import ExtensionStatus, ReportStatus
from luoshi.ledger.models import Assignment, MatterEvent
from luoshi.ledger.states import AssignmentStatus, MatterStatus
from luoshi.urging.states import UrgingStatus

COLUMNS = ["时间", "操作人", "单位", "任务", "操作", "原状态", "新状态", "说明", "变更"]
WIDTHS = [26, 12, 24, 36, 18, 14, 14, 48, 48]


def status_label(event: MatterEvent, value: str) -> str:
    """A status value in words, read with the list of the record the event is about (as
    ``MatterEvent.to_label``, for either end of the change)."""
    if not value:
        return ""
    changes = event.changes or {}
    labels: type = AssignmentStatus if event.assignment_id else MatterStatus
    if "report" in changes:
        labels = ReportStatus
    elif "extension" in changes:
        labels = ExtensionStatus
    elif "urging" in changes:
        labels = UrgingStatus
    try:
        return str(labels(value).label)
    except ValueError:
        return value


def transition(event: MatterEvent) -> tuple[str, str]:
    """The event's from and to states; urging events keep the notice's in ``changes``
    (their columns belong to the task's states)."""
    changes = event.changes or {}
    if "urging" in changes and not (event.from_status or event.to_status):
        return str(changes.get("from") or ""), str(changes.get("to") or "")
    return event.from_status, event.to_status


def task_label(assignment: Assignment | None) -> str:
    if assignment is None:
        return ""
    unit = assignment.lead_unit.name if assignment.lead_unit else "（未定牵头单位）"
    task = assignment.task.replace("\n", " ")
    return f"{unit}：{task[:40]}{'…' if len(task) > 40 else ''}"


def rows(events: list[MatterEvent]) -> list[list[str]]:
    out = []
    for e in events:
        actor = e.actor
        unit = actor.unit.name if actor is not None and actor.unit_id else ""
        changes = json.dumps(e.changes, ensure_ascii=False, sort_keys=True) if e.changes else ""
        before, after = transition(e)
        out.append([
            stamp(e.at), person(actor), unit, task_label(e.assignment), e.action_label,
            status_label(e, before), status_label(e, after), e.comment, changes,
        ])  # fmt: skip
    return out


def to_xlsx(table: list[list[str]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False})  # fmt: skip
    sheet = book.add_worksheet("事项记录")
    head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    for col, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
        sheet.write_string(0, col, name, head)
        sheet.set_column(col, col, width)
    for r, row in enumerate(table, start=1):
        for col, value in enumerate(row):
            # As text: a comment starting with "=" must never become a formula.
            sheet.write_string(r, col, value, cell)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table), 1), len(COLUMNS) - 1)
    book.close()
    return buffer.getvalue()


def _csv_safe(value: str) -> str:
    # A cell starting with these runs as a formula in Excel (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(table: list[list[str]]) -> bytes:
    """UTF-8 with a byte order mark: without it Excel reads Chinese text as GBK."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow([_csv_safe(v) for v in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")
