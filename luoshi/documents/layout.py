"""GB/T 9704-2012 page figures and the raw OOXML python-docx has no API for.

A4 210 × 297 mm; margins top 37, bottom 35, left 28, right 26 mm, so the type area is
156 × 225 mm. In twips (1/1440 inch): page 11906 × 16838, margins 2098 / 1984 / 1587 /
1474, type area 8845 × 12756. 22 lines: 12756 / 22 = 579.8 → ``linePitch`` 579 (28.95 pt,
rounded down so that 22 lines fit). 28 characters of 3号 (16 pt): 8845 / 28 = 315.9 twips
= 15.79 pt per character, 0.21 pt less than the 16 pt glyph; ``charSpace`` counts in
1/4096 pt: −0.2054 × 4096 = −841.3 → −842 (rounded down so that 28 fit).
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# python-docx builds lxml elements through a factory function: no precise type to name.
Element = Any
TWIPS_PER_MM = 1440 / 25.4
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756
LINES, CHARS = 22, 28
LINE_PITCH = TEXT_H // LINES  # 579
BODY_PT = 16
CHAR_SPACE = -842  # see the module docstring
CHAR_TWIPS = TEXT_W / CHARS  # 315.9: one body character on the grid
# Body runs: 16 pt − 0.25 pt = 15.75 pt per character; 28 × 15.75 = 441 pt ≤ 442.25 pt
# of type area < 29 × 15.75 (w:spacing counts twentieths of a point).
CONDENSE = -5
# Page numbers: the 一字线 7 mm under the type area; the footer's text (4号, ~5 mm) ends
# about 23 mm above the paper's edge.
FOOTER_DISTANCE = round(23 * TWIPS_PER_MM)
HEADER_DISTANCE = round(15 * TWIPS_PER_MM)
RED = "FF0000"


def el(tag: str, **attrs: str) -> Element:
    node = OxmlElement(tag)
    for key, value in attrs.items():
        node.set(qn(f"w:{key}"), str(value))
    return node


def replace_child(parent: Element, child: Element) -> Element:
    """Put ``child`` in ``parent`` instead of any element of its tag."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)
    return child


def set_fonts(rpr: Element, east_asian: str, size_pt: float, latin: str | None = None) -> None:
    """East-Asian and Latin font and size of a run (or of the document defaults)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = el("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attr}"), latin or east_asian)
    fonts.set(qn("w:eastAsia"), east_asian)
    half_points = str(round(size_pt * 2))
    for tag in ("w:sz", "w:szCs"):
        node = rpr.find(qn(tag))
        if node is None:
            node = el(tag)
            rpr.append(node)
        node.set(qn("w:val"), half_points)


def style_run(
    run: Run,
    east_asian: str,
    size_pt: float,
    *,
    latin: str | None = None,
    bold: bool = False,
    color: str = "",
) -> Run:
    rpr = run._r.get_or_add_rPr()
    set_fonts(rpr, east_asian, size_pt, latin)
    if size_pt == BODY_PT:
        replace_child(rpr, el("w:spacing", val=str(CONDENSE)))
    if bold:
        run.bold = True
    if color:
        replace_child(rpr, el("w:color", val=color))
    return run


def para_format(
    p: Paragraph,
    *,
    align: str = "both",
    line: int = LINE_PITCH,
    first_chars: float = 0,
    left_chars: float = 0,
    right_chars: float = 0,
    char_twips: float = CHAR_TWIPS,
    grid: bool = False,
) -> Paragraph:
    """Alignment, exact line spacing and indents in characters (Word reads ``*Chars``;
    the twips beside them say the same for readers that do not).

    Paragraphs do not snap to the character grid: LibreOffice gives a 16 pt glyph two
    15.79 pt grid cells (Word squeezes it into one), which halves the characters per line.
    Body runs are condensed by ``CONDENSE`` instead, which gives 28 per line in both."""
    ppr = p._p.get_or_add_pPr()
    if not grid:
        replace_child(ppr, el("w:snapToGrid", val="0"))
    replace_child(ppr, el("w:spacing", before="0", after="0", line=str(line), lineRule="exact"))
    ind = el("w:ind")
    if first_chars:
        ind.set(qn("w:firstLineChars"), str(round(first_chars * 100)))
        ind.set(qn("w:firstLine"), str(round(first_chars * char_twips)))
    if left_chars:
        ind.set(qn("w:leftChars"), str(round(left_chars * 100)))
        ind.set(qn("w:left"), str(round(left_chars * char_twips)))
    if right_chars:
        ind.set(qn("w:rightChars"), str(round(right_chars * 100)))
        ind.set(qn("w:right"), str(round(right_chars * char_twips)))
    replace_child(ppr, ind)
    replace_child(ppr, el("w:jc", val=align))
    return p


def border(
    p: Paragraph, side: str, size_eighths: int, color: str = "000000", space: int = 1
) -> None:
    """A rule along one side of a paragraph, as wide as the type area."""
    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = el("w:pBdr")
        # pBdr comes before spacing, ind and jc in the schema's order.
        ppr.insert(0, bdr)
    bdr.append(el(f"w:{side}", val="single", sz=str(size_eighths), space=str(space), color=color))


def right_tab(p: Paragraph, position: int) -> None:
    ppr = p._p.get_or_add_pPr()
    tabs = el("w:tabs")
    tabs.append(el("w:tab", val="right", pos=str(position)))
    ppr.insert(0, tabs)


def page_field(p: Paragraph, east_asian: str, size_pt: float) -> None:
    """ "— N —" with N the PAGE field."""

    def add(text: str = "", *nodes: Element) -> None:
        run = p.add_run(text)
        style_run(run, east_asian, size_pt)
        for node in nodes:
            run._r.append(node)

    add("— ")
    add("", el("w:fldChar", fldCharType="begin"))
    instr = el("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    add("", instr)
    add("", el("w:fldChar", fldCharType="separate"))
    add("1")
    add("", el("w:fldChar", fldCharType="end"))
    add(" —")
