"""The DOCX of a document in the GB/T 9704-2012 layout (figures in ``layout``): 版头 with
the red 发文机关标志, number and red rule; title; 主送; body with 黑体 / 楷体 headings and the
table; 落款 and date; 版记 with 抄送 and 印发; page numbers "— N —" outside on odd and even
pages. Fonts are the official names; PDF conversion maps them (``fonts``)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Twips

from luoshi.documents import blocks, fonts
from luoshi.documents import layout as L
from luoshi.documents.layout import el, para_format, replace_child, style_run
from luoshi.documents.models import OfficialDocument

PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange",
]  # fmt: skip
RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
]  # fmt: skip
TITLE_PT, BODY_PT, NUMBER_PT, RECORD_PT = 22, L.BODY_PT, 14, 14
TITLE_LINE = 700  # 35 pt between title lines


def _sorted_children(node: Any, order: list[str]) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    children = list(node)
    children.sort(key=lambda c: rank.get(c.tag, len(order)))
    for child in children:
        node.remove(child)
        node.append(child)


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    sect = section._sectPr
    replace_child(sect, el("w:pgSz", w=str(L.PAGE_W), h=str(L.PAGE_H)))
    replace_child(
        sect,
        el(
            "w:pgMar",
            top=str(L.MARGIN_TOP),
            bottom=str(L.MARGIN_BOTTOM),
            left=str(L.MARGIN_LEFT),
            right=str(L.MARGIN_RIGHT),
            header=str(L.HEADER_DISTANCE),
            footer=str(L.FOOTER_DISTANCE),
            gutter="0",
        ),
    )
    replace_child(
        sect,
        el(
            "w:docGrid",
            type="linesAndChars",
            linePitch=str(L.LINE_PITCH),
            charSpace=str(L.CHAR_SPACE),
        ),
    )
    # The grid's character pitch is the default font size plus charSpace: 16 pt 仿宋.
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    L.set_fonts(rpr_default, fonts.BODY, BODY_PT)
    replace_child(rpr_default, el("w:lang", val="en-US", eastAsia="zh-CN"))
    normal = doc.styles["Normal"]
    L.set_fonts(normal.element.get_or_add_rPr(), fonts.BODY, BODY_PT)
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    para_format(odd, align="right", right_chars=1, char_twips=NUMBER_PT * 20, grid=False)
    L.page_field(odd, fonts.PAGE_NUMBER, NUMBER_PT)
    section.even_page_footer.is_linked_to_previous = False
    even = section.even_page_footer.paragraphs[0]
    para_format(even, align="left", left_chars=1, char_twips=NUMBER_PT * 20, grid=False)
    L.page_field(even, fonts.PAGE_NUMBER, NUMBER_PT)


def _para(doc: DocxDocument, text: str = "", font: str = fonts.BODY, size: float = BODY_PT,
          **fmt: Any) -> Any:  # fmt: skip
    p = doc.add_paragraph()
    para_format(p, **fmt)
    if text:
        style_run(p.add_run(text), font, size)
    return p


def _mark(doc: DocxDocument, d: OfficialDocument) -> None:
    """发文机关标志 in red 小标宋 on one line, sized to fit the type area; the number; the
    red rule 4 mm under it."""
    mark = f"{d.organ}{d.kind_label}"
    size = max(22, min(42, int(430 / max(blocks.width(mark), 1))))
    p = doc.add_paragraph()
    para_format(p, align="center", line=round(size * 20 * 1.25), grid=False)
    style_run(p.add_run(mark), fonts.TITLE, size, color=L.RED)
    _para(doc)
    number = _para(doc, d.number or "〔    〕第  期", align="center")
    L.border(number, "bottom", 12, L.RED, space=11)
    _para(doc)


# Columns at least this wide (twips) hold text, left-aligned; narrower ones hold figures.
WIDE_COLUMN = 2000


def _column_widths(header: list[str], rows: list[list[str]]) -> list[int]:
    """Each column as wide as its longest cell (2 to 12 characters), scaled to the type
    area: a 序号 column stays narrow and unit names fit on one line where they can."""
    needs = []
    for c, title in enumerate(header):
        cells = [title] + [row[c] for row in rows if c < len(row)]
        needs.append(min(max(max(blocks.width(x) for x in cells), 2.0), 12.0) + 1)
    total = sum(needs)
    widths = [int(L.TEXT_W * n / total) for n in needs]
    widths[-1] += L.TEXT_W - sum(widths)
    return widths


def _table(doc: DocxDocument, table: dict[str, Any]) -> None:
    header = [str(h) for h in table["header"]]
    rows = [[str(c) for c in row][: len(header)] for row in table["rows"]]
    cols = len(header)
    size = 12 if cols <= 6 else 10.5
    widths = _column_widths(header, rows)
    t = doc.add_table(rows=1 + len(rows), cols=cols)
    tpr = t._tbl.tblPr
    replace_child(tpr, el("w:tblW", w=str(L.TEXT_W), type="dxa"))
    replace_child(tpr, el("w:jc", val="center"))
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    replace_child(tpr, borders)
    replace_child(tpr, el("w:tblLayout", type="fixed"))
    for i, w in enumerate(widths):
        t.columns[i].width = Twips(w)
    for r, values in enumerate([header, *rows]):
        row = t.rows[r]
        # A row never breaks across pages; the header row repeats on each page.
        row._tr.get_or_add_trPr().append(el("w:cantSplit"))
        if r == 0:
            row._tr.get_or_add_trPr().append(el("w:tblHeader"))
        for c in range(cols):
            cell = row.cells[c]
            cell.width = Twips(widths[c])
            p = cell.paragraphs[0]
            align = "left" if r > 0 and widths[c] >= WIDE_COLUMN else "center"
            para_format(p, align=align, line=round(size * 20 * 1.3), grid=False)
            text = values[c] if c < len(values) else ""
            style_run(p.add_run(text), fonts.HEADING if r == 0 else fonts.BODY, size)


def _body(doc: DocxDocument, d: OfficialDocument) -> None:
    has_table = blocks.table_ok(d.table) and bool(d.table.get("rows"))
    for block in blocks.parse(d.body, has_table):
        if block.kind == "table":
            _table(doc, d.table)
        elif block.kind in ("h1", "h2"):
            font = fonts.HEADING if block.kind == "h1" else fonts.SUBHEADING
            p = _para(doc, block.text, font, first_chars=2)
            # A heading never ends a page alone.
            p.paragraph_format.keep_with_next = True
            if block.rest:
                style_run(p.add_run(block.rest), fonts.BODY, BODY_PT)
        else:
            _para(doc, block.text, first_chars=2)


def _signature(doc: DocxDocument, d: OfficialDocument) -> None:
    signature = d.signature or d.organ
    dated = blocks.cn_date(d.issue_date)
    sig_right, date_right = blocks.signature_indents(signature, dated)
    _para(doc)
    _para(doc, signature, align="right", right_chars=sig_right)
    if dated:
        _para(doc, dated, align="right", right_chars=date_right)


def _record(doc: DocxDocument, d: OfficialDocument) -> None:
    """版记: thick rule, 抄送, thin rule, 印发机关 and 印发日期, thick rule."""
    _para(doc)
    char = RECORD_PT * 20
    if d.copies.strip():
        copies = d.copies.strip().rstrip("。；;，,")
        # The rules span the type area; the text stands one character in from both ends.
        p = _para(doc, f"\u3000抄送：{copies}。", size=RECORD_PT, align="left")
        L.border(p, "top", 8)
        L.border(p, "bottom", 6)
    printer = d.printer or d.organ
    printed = f"{blocks.cn_date(d.print_date or d.issue_date)}印发"
    p = _para(doc, size=RECORD_PT, align="left")
    L.right_tab(p, L.TEXT_W - char)
    style_run(p.add_run(f"\u3000{printer}\t{printed}"), fonts.BODY, RECORD_PT)
    if not d.copies.strip():
        L.border(p, "top", 8)
    L.border(p, "bottom", 8)


def render(d: OfficialDocument) -> bytes:
    doc = Document()
    _page_setup(doc)
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    _mark(doc, d)
    title = doc.add_paragraph()
    para_format(title, align="center", line=TITLE_LINE)
    style_run(title.add_run(d.title), fonts.TITLE, TITLE_PT)
    _para(doc)
    if d.recipients.strip():
        to = d.recipients.strip().rstrip("：:")
        _para(doc, f"{to}：", align="left")
    _body(doc, d)
    _signature(doc, d)
    _record(doc, d)
    for ppr in doc.element.iter(qn("w:pPr")):
        _sorted_children(ppr, PPR_ORDER)
    for rpr in doc.element.iter(qn("w:rPr")):
        _sorted_children(rpr, RPR_ORDER)
    for part in (doc.sections[0].footer, doc.sections[0].even_page_footer):
        for ppr in part._element.iter(qn("w:pPr")):
            _sorted_children(ppr, PPR_ORDER)
        for rpr in part._element.iter(qn("w:rPr")):
            _sorted_children(rpr, RPR_ORDER)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
