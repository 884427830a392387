"""The editable text of a document read as blocks, shared by the DOCX renderer and the
HTML preview so that both show the same headings, paragraphs and table."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# A line holding only this marker places the table; without it the table follows the text.
TABLE_MARK = "【表格】"
HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


@dataclass(frozen=True)
class Block:
    kind: str  # "h1" 黑体, "h2" 楷体, "p" 仿宋, "table"
    text: str = ""
    # A heading followed on its line by text ("（一）压实责任。各单位要……"): only the
    # heading takes the heading font, the rest is body text (仿宋).
    rest: str = ""


def _heading(kind: str, line: str) -> Block:
    head, mark, rest = line.partition("。")
    if mark and rest.strip():
        return Block(kind, head + mark, rest.strip())
    return Block(kind, line)


def parse(body: str, has_table: bool) -> list[Block]:
    """One block per non-empty line (blank lines only separate): a line starting 一、 is a
    黑体 heading, one starting （一） a 楷体 one, 【表格】 the table."""
    blocks: list[Block] = []
    placed = False
    for raw in (body or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == TABLE_MARK:
            if has_table and not placed:
                blocks.append(Block("table"))
                placed = True
            continue
        if HEADING.match(line):
            blocks.append(_heading("h1", line))
        elif SUBHEADING.match(line):
            blocks.append(_heading("h2", line))
        else:
            blocks.append(Block("p", line))
    if has_table and not placed:
        blocks.append(Block("table"))
    return blocks


def table_ok(table: object) -> bool:
    return (
        isinstance(table, dict)
        and isinstance(table.get("header"), list)
        and bool(table.get("header"))
        and isinstance(table.get("rows"), list)
    )


def cn_date(d: date | None) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def width(text: str) -> float:
    """Width in body characters: full-width glyphs count 1, half-width ones ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def signature_indents(signature: str, dated: str, date_right: float = 4) -> tuple[float, float]:
    """Right indents (in characters) of the 落款 and the date: the date ends ``date_right``
    characters from the margin and the signature starts two characters before the date
    (GB/T 9704-2012 7.3.5.2); a signature too long for that ends two characters in and the
    date moves so that it still starts two characters after it."""
    sig_w, date_w = width(signature), width(dated)
    sig_right = date_right + date_w + 2 - sig_w
    if sig_right >= 2:
        return sig_right, date_right
    sig_right = 2
    return sig_right, max(0.0, sig_right + sig_w - 2 - date_w)
