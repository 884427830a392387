"""The streaming writer's output, read back by openpyxl (as a spreadsheet program would)."""

import io
from datetime import date, datetime

import openpyxl
import pytest

from luoshi.sheets.xlsx import MAX_TEXT, Format, PrintSetup, Sheet, column_letter


def _book(rows, **kwargs):
    target = io.BytesIO()
    sheet = Sheet(target, kwargs.pop("name", "表"), [Format(), Format(num_format="yyyy-mm-dd")],
                  **kwargs)  # fmt: skip
    for cells in rows:
        sheet.row(cells)
    sheet.close()
    target.seek(0)
    return openpyxl.load_workbook(target)


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"),
                                                (702, "AAA")])  # fmt: skip
def test_column_letters(index, letters) -> None:
    assert column_letter(index) == letters


def test_values_come_back_as_written() -> None:
    ws = _book([[("安全生产 <专项> & 整治", 0), (42, 0), (3.5, 0), (True, 0),
                 (date(2026, 11, 24), 1), (datetime(2026, 11, 24, 18, 0), 1), (None, 0)]]).active  # fmt: skip
    assert [c.value for c in ws[1]][:6] == [
        "安全生产 <专项> & 整治",
        42,
        3.5,
        True,
        datetime(2026, 11, 24),
        datetime(2026, 11, 24, 18),
    ]
    assert ws["E1"].number_format == "yyyy-mm-dd"


def test_text_keeps_its_spaces_and_loses_what_xml_forbids() -> None:
    ws = _book([[("  缩进\n第二行 ", 0), ("控制\x01字符\x0b", 0)]]).active
    assert ws["A1"].value == "  缩进\n第二行 "
    assert ws["B1"].value == "控制字符"


def test_text_is_cut_at_excels_limit() -> None:
    ws = _book([[("长" * (MAX_TEXT + 10), 0)]]).active
    assert len(ws["A1"].value) == MAX_TEXT


def test_sheet_settings() -> None:
    setup = PrintSetup(landscape=True, fit_width=True, repeat_rows=(0, 1))
    target = io.BytesIO()
    sheet = Sheet(target, "它's 表", [Format(bold=True, fill="FFC7CE", border=True)],
                  widths=[8, 20], freeze_rows=2, setup=setup)  # fmt: skip
    for i in range(3):
        sheet.row([(f"r{i}", 0), (None, 0)], height=30 if i == 0 else None)
    sheet.merge(0, 0, 0, 1)
    sheet.close()
    target.seek(0)
    ws = openpyxl.load_workbook(target)["它's 表"]
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width == 20
    assert ws.row_dimensions[1].height == 30
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:B1"}
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None and fit.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$2"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["B2"].border.left.style == "thin"  # an empty cell keeps its format
