"""Reading a 责任分解表: find the header rows, follow merged cells, group rows into matters.

The result holds text only (dates as ISO text), so that it can be stored with the batch
and checked again against the database when the import is confirmed."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from luoshi.core.errors import ServiceError
from luoshi.sheets.columns import LABELS, REQUIRED, header_key

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 5000
ROW_KEYS = ("task", "lead", "co", "leader", "person", "deadline")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def open_workbook(data: bytes) -> Any:
    """The workbook, or a ServiceError in Chinese for anything that is not an .xlsx."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ServiceError("文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 后上传。")
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception:
        # openpyxl raises many unrelated types (zip, XML, key errors) for a broken workbook.
        raise ServiceError("无法读取该工作簿，文件可能已损坏或不是 .xlsx 格式。") from None


class Grid:
    """Cell values with merged ranges filled in: a merged cell's value applies to every
    cell of its range, and each cell knows the range it belongs to."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        # openpyxl computes these from every cell on each access: read them once.
        self.max_row, self.max_column = ws.max_row, ws.max_column
        # cell → (first row, first column, last row, value) of its merged range
        self.merged: dict[tuple[int, int], tuple[int, int, int, Any]] = {}
        for rng in ws.merged_cells.ranges:
            value = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    self.merged[(r, c)] = (rng.min_row, rng.min_col, rng.max_row, value)

    def value(self, row: int, col: int) -> Any:
        if (row, col) in self.merged:
            return self.merged[(row, col)][3]
        return self.ws.cell(row, col).value

    def own(self, row: int, col: int) -> Any:
        """The cell's own value: None inside a merged range except at its top-left."""
        hit = self.merged.get((row, col))
        if hit is not None and (hit[0], hit[1]) != (row, col):
            return None
        return self.ws.cell(row, col).value

    def vertical_range(self, row: int, col: int) -> int | None:
        """The first row of the cell's merged range when that range spans several rows."""
        hit = self.merged.get((row, col))
        return hit[0] if hit is not None and hit[2] > hit[0] else None


def _row_keys(grid: Grid, row: int, own_only: bool) -> dict[int, tuple[str, int]]:
    found = {}
    for col in range(1, grid.max_column + 1):
        value = grid.own(row, col) if own_only else grid.value(row, col)
        key = header_key(_text(value)) if isinstance(value, str) else None
        if key is not None:
            found[col] = key
    return found


def find_columns(grid: Grid) -> tuple[dict[str, int], int]:
    """The column of each key and the last header row. A header may span two rows (“责任单位”
    over “牵头单位 | 配合单位”): the lower row names the column where it has a header word."""
    last = min(HEADER_SEARCH_ROWS, grid.max_row)
    for row in range(1, last + 1):
        upper = _row_keys(grid, row, own_only=False)
        if len(upper) < 2:
            continue
        lower = _row_keys(grid, row + 1, own_only=True) if row < grid.max_row else {}
        keys = {**upper, **lower} if lower else upper
        header_end = row + 1 if lower else row
        columns: dict[str, int] = {}
        ranks: dict[str, int] = {}
        for col, (key, rank) in sorted(keys.items()):
            if key != "ignored" and (key not in columns or rank < ranks[key]):
                columns[key], ranks[key] = col, rank
        return columns, header_end
    return {}, 0


def read_sheet(data: bytes) -> dict[str, Any]:
    """{"sheet", "columns", "matters": [...], "file_errors": [...]} from the first sheet."""
    wb = open_workbook(data)
    ws = wb.worksheets[0]
    grid = Grid(ws)
    columns, header_end = find_columns(grid)
    out: dict[str, Any] = {"sheet": ws.title, "columns": {}, "matters": [], "file_errors": []}
    if not columns:
        out["file_errors"].append(
            f"在工作表“{ws.title}”的前 {HEADER_SEARCH_ROWS} 行中没有找到表头"
            "（如“序号、事项名称、牵头单位、完成时限”）。"
        )
        return out
    out["columns"] = {key: LABELS[key] for key in columns}
    missing = [LABELS[k] for k in REQUIRED if k not in columns]
    if missing:
        out["file_errors"].append(f"表头中缺少列：{'、'.join(missing)}。")
        return out
    if ws.max_row - header_end > MAX_ROWS:
        out["file_errors"].append(f"数据超过 {MAX_ROWS} 行，请分批导入。")
        return out
    out["matters"] = _group_rows(grid, columns, header_end)
    if not out["matters"]:
        out["file_errors"].append("表头下面没有数据行。")
    return out


def _matter_key(grid: Grid, row: int, columns: dict[str, int], values: dict[str, str]) -> Any:
    """Rows of one matter share the merged range of 事项名称 (or of 序号); without merges a
    row starts a new matter unless it leaves both 序号 and 事项名称 blank."""
    for key in ("title", "seq"):
        col = columns.get(key)
        start = grid.vertical_range(row, col) if col is not None else None
        if start is not None:
            return (key, start)
    if not values.get("title") and not values.get("seq"):
        return None  # continues the matter above
    return ("row", row)


def _group_rows(grid: Grid, columns: dict[str, int], header_end: int) -> list[dict[str, Any]]:
    matters: list[dict[str, Any]] = []
    last_key: Any = object()
    for row in range(header_end + 1, grid.max_row + 1):
        if not any(_text(grid.own(row, c)) for c in range(1, grid.max_column + 1)):
            continue  # a fully blank row
        values = {key: _text(grid.value(row, col)) for key, col in columns.items()}
        key = _matter_key(grid, row, columns, values)
        if key is None and matters:
            key = last_key
        if key != last_key or not matters:
            matters.append({
                "rows": [], "seq": values.get("seq", ""), "number": values.get("number", ""),
                "title": values.get("title", ""), "source": values.get("source", ""),
                "assignments": [],
            })  # fmt: skip
            last_key = key
        matter = matters[-1]
        matter["rows"].append(row)
        matter["assignments"].append({"row": row, **{k: values.get(k, "") for k in ROW_KEYS}})
    return matters
