"""A streaming .xlsx writer for sheets of a hundred thousand rows and more.

XlsxWriter goes through several Python calls per cell, about 10 µs each: a province's
100,000 ledger rows of 12 cells took 13 s before any data was read. Here each row's
SpreadsheetML is one string, written in blocks straight into the zip entry (about 1.5 s for
the same rows). It does what the ledger export needs and no more: one worksheet; inline
strings, numbers and dates; a fixed set of cell formats; merged ranges; column widths;
frozen header rows; print settings. Memory holds one block of rows and the merged ranges'
references (a few bytes each)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
MAX_TEXT = 32767  # Excel's limit on the characters of a cell
BLOCK_ROWS = 500

# One translate() per string: XML's three reserved characters escaped, and the control
# characters XML 1.0 forbids (pasted from other systems now and then) dropped.
_ESCAPE: dict[int, Any] = {c: None for c in range(32) if c not in (9, 10, 13)}
_ESCAPE.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", 0xFFFE: None, 0xFFFF: None})
_ATTR = {**_ESCAPE, ord('"'): "&quot;"}


def text(value: str) -> str:
    return value.translate(_ESCAPE)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"


@dataclass(frozen=True)
class Format:
    """A cell format; ``fill`` and colours as RRGGBB."""

    bold: bool = False
    size: float = 11
    align: str = ""  # "", "left", "center", "right"
    valign: str = ""  # "", "top", "center", "bottom"
    wrap: bool = False
    border: bool = False
    fill: str = ""
    num_format: str = ""


@dataclass(frozen=True)
class PrintSetup:
    landscape: bool = False
    paper: int = 9  # A4
    fit_width: bool = False  # all columns on one page wide, as many pages tall as needed
    repeat_rows: tuple[int, int] | None = None  # 0-based, inclusive: printed on every page


class Sheet:
    """Write ``row()`` by ``row()`` in order, then ``close()``. Cells are (value, format)
    pairs, the format an index into ``formats``; value None is an empty cell that keeps its
    format (borders of a merged range)."""

    def __init__(
        self,
        target: IO[bytes],
        name: str,
        formats: Sequence[Format],
        widths: Sequence[float] = (),
        freeze_rows: int = 0,
        setup: PrintSetup | None = None,
    ) -> None:
        self.name = name
        self.formats = list(formats)
        self.setup = setup or PrintSetup()
        self.merges: list[str] = []
        self.row_index = 0
        self._block: list[str] = []
        self._letters = [column_letter(i) for i in range(max(len(widths), 26))]
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self.out = self.zip.open("xl/worksheets/sheet1.xml", "w")
        self._put(self._sheet_head(widths, freeze_rows))

    # --- rows
    def row(self, cells: Iterable[tuple[Any, int]], height: float | None = None) -> None:
        r = self.row_index + 1
        letters = self._letters
        parts = [f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">']
        for col, (value, fmt) in enumerate(cells):
            if col >= len(letters):
                letters.extend(column_letter(i) for i in range(len(letters), col + 1))
            at = f'{letters[col]}{r}" s="{fmt + 1}'
            if value is None or value == "":
                parts.append(f'<c r="{at}"/>')
            elif isinstance(value, str):
                value = value[:MAX_TEXT].translate(_ESCAPE)
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                parts.append(f'<c r="{at}" t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif isinstance(value, bool):
                parts.append(f'<c r="{at}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime):
                day = (value.date() - EPOCH).days
                seconds = value.hour * 3600 + value.minute * 60 + value.second
                parts.append(f'<c r="{at}"><v>{day + seconds / 86400:.10g}</v></c>')
            elif isinstance(value, date):
                parts.append(f'<c r="{at}"><v>{(value - EPOCH).days}</v></c>')
            else:
                parts.append(f'<c r="{at}"><v>{value}</v></c>')
        parts.append("</row>")
        self._block.append("".join(parts))
        self.row_index += 1
        if len(self._block) >= BLOCK_ROWS:
            self._flush()

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Merge a range (0-based, inclusive); the top-left cell's value shows."""
        self.merges.append(f"{ref(first_row, first_col)}:{ref(last_row, last_col)}")

    def close(self) -> None:
        self._flush()
        tail = ["</sheetData>"]
        if self.merges:
            tail.append(f'<mergeCells count="{len(self.merges)}">')
            tail.extend(f'<mergeCell ref="{m}"/>' for m in self.merges)
            tail.append("</mergeCells>")
        s = self.setup
        tail.append('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" '
                    'header="0.3" footer="0.3"/>')  # fmt: skip
        orientation = "landscape" if s.landscape else "portrait"
        fit = ' fitToWidth="1" fitToHeight="0"' if s.fit_width else ""
        tail.append(f'<pageSetup paperSize="{s.paper}" orientation="{orientation}"{fit}/>')
        tail.append("</worksheet>")
        self._put("".join(tail))
        self.out.close()
        self._package()
        self.zip.close()

    # --- parts
    def _put(self, xml: str) -> None:
        self.out.write(xml.encode())

    def _flush(self) -> None:
        if self._block:
            self._put("".join(self._block))
            self._block = []

    def _sheet_head(self, widths: Sequence[float], freeze_rows: int) -> str:
        parts = [HEAD, f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">']
        if self.setup.fit_width:
            parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        parts.append('<sheetViews><sheetView tabSelected="1" workbookViewId="0">')
        if freeze_rows:
            top = f"A{freeze_rows + 1}"
            parts.append(
                f'<pane ySplit="{freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" '
                f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
            )
        parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if widths:
            parts.append("<cols>")
            parts.extend(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            )
            parts.append("</cols>")
        parts.append("<sheetData>")
        return "".join(parts)

    def _package(self) -> None:
        z = self.zip
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/workbook.xml", self._workbook())
        z.writestr("xl/styles.xml", styles(self.formats))

    def _workbook(self) -> str:
        name = self.name.translate(_ATTR)
        names = ""
        if self.setup.repeat_rows is not None:
            first, last = self.setup.repeat_rows
            quoted = self.name.replace("'", "''").translate(_ESCAPE)
            names = (
                '<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
                f"'{quoted}'!${first + 1}:${last + 1}</definedName></definedNames>"
            )
        return (
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/>'
            f'</bookViews><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
            f"{names}</workbook>"
        )


def styles(formats: Sequence[Format]) -> str:
    """styles.xml: the default format (index 0), then ``formats`` (index 1 on)."""
    fonts = [(False, 11.0)]
    fills = ["", "gray125"]  # the two fills every workbook starts with
    num_formats: list[str] = []
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    for f in formats:
        font = (f.bold, float(f.size))
        if font not in fonts:
            fonts.append(font)
        if f.fill and f.fill not in fills:
            fills.append(f.fill)
        num = 0
        if f.num_format:
            if f.num_format not in num_formats:
                num_formats.append(f.num_format)
            num = 164 + num_formats.index(f.num_format)
        fill = fills.index(f.fill) if f.fill else 0
        align = "".join(
            (f' horizontal="{f.align}"' if f.align else "",
             f' vertical="{f.valign}"' if f.valign else "",
             ' wrapText="1"' if f.wrap else "")
        )  # fmt: skip
        xfs.append(
            f'<xf numFmtId="{num}" fontId="{fonts.index(font)}" fillId="{fill}" '
            f'borderId="{int(f.border)}" xfId="0" applyNumberFormat="1" applyFont="1" '
            f'applyFill="1" applyBorder="1" applyAlignment="1">'
            + (f"<alignment{align}/>" if align else "")
            + "</xf>"
        )
    font_xml = "".join(
        f'<font>{"<b/>" if bold else ""}<sz val="{size:g}"/><name val="Calibri"/>'
        '<family val="2"/></font>'
        for bold, size in fonts
    )
    fill_xml = "".join(
        f'<fill><patternFill patternType="{fill or "none"}"/></fill>'
        if fill in ("", "gray125")
        else f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fill.upper()}"/>'
        '<bgColor indexed="64"/></patternFill></fill>'
        for fill in fills
    )
    thin = "".join(f'<{side} style="thin"><color auto="1"/></{side}>'
                   for side in ("left", "right", "top", "bottom"))  # fmt: skip
    numbers = ""
    if num_formats:
        numbers = f'<numFmts count="{len(num_formats)}">' + "".join(
            f'<numFmt numFmtId="{164 + i}" formatCode="{code.translate(_ATTR)}"/>'
            for i, code in enumerate(num_formats)
        ) + "</numFmts>"  # fmt: skip
    return (
        f'{HEAD}<styleSheet xmlns="{MAIN}">{numbers}'
        f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
        f'<fills count="{len(fills)}">{fill_xml}</fills>'
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
        f"<border>{thin}<diagonal/></border></borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


CONTENT_TYPES = (
    f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
ROOT_RELS = (
    f'{HEAD}<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" Type="{RELS}/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    f'{HEAD}<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/></Relationships>'
)
