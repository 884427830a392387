"""事项来源 as a sheet writes it: the label, with the source's details after a colon —
“会议议定：市政府常务会议（2026年11月20日）”, “领导批示：张市长（2026年11月2日）：请抓紧落实”,
“上级文件：清政发〔2026〕1号（清河市人民政府）”. The export writes the same form."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from luoshi.ledger.models import Matter, Source
from luoshi.sheets.dates import parse_date

BY_LABEL = {str(label): value for value, label in Source.choices}
# Words that name a source without its exact label.
KEYWORDS = [
    ("政府工作报告", Source.WORK_REPORT), ("批示", Source.INSTRUCTION),
    ("会议", Source.MEETING), ("提案", Source.PROPOSAL), ("建议", Source.PROPOSAL),
    ("12345", Source.PUBLIC), ("诉求", Source.PUBLIC), ("专项", Source.SPECIAL),
    ("文件", Source.DOCUMENT), ("〔", Source.DOCUMENT),
]  # fmt: skip
_PAREN = re.compile(r"^(?P<head>.*?)[（(](?P<inner>[^）)]*)[）)][：:]?(?P<rest>.*)$", re.S)


def _cn_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def source_text(m: Matter) -> str:
    """The 来源 cell of the export."""
    label = str(Source(m.source).label)
    if m.source == Source.MEETING and m.meeting_name:
        return f"{label}：{m.meeting_name}（{_cn_date(m.meeting_date)}）"
    if m.source == Source.INSTRUCTION and m.instructing_leader:
        return f"{label}：{m.instructing_leader}（{_cn_date(m.received_on)}）：{m.instruction_text}"
    if m.source == Source.DOCUMENT and m.doc_number:
        return f"{label}：{m.doc_number}（{m.doc_issuer}）"
    return label


def parse_source(text: str) -> tuple[str, dict[str, Any]] | None:
    """(source value, matter fields of its details), or None when the text names no source."""
    text = (text or "").strip()
    parts = re.split(r"[：:]", text, maxsplit=1)
    head = parts[0].strip()
    detail = parts[1].strip() if len(parts) > 1 else ""
    source = BY_LABEL.get(head)
    if source is None:
        for word, value in KEYWORDS:
            if word in text:
                source, detail = value, text
                break
    if source is None:
        return None
    return source, _details(source, detail)


def _details(source: str, detail: str) -> dict[str, Any]:
    if not detail:
        return {}
    found = _PAREN.match(detail)
    head = (found["head"] if found else detail).strip()
    inner = (found["inner"] if found else "").strip()
    rest = (found["rest"] if found else "").strip()
    if source == Source.MEETING:
        return {"meeting_name": head[:200], "meeting_date": parse_date(inner) if inner else None}
    if source == Source.INSTRUCTION:
        return {"instructing_leader": head[:50], "received_on": parse_date(inner),
                "instruction_text": rest}  # fmt: skip
    if source == Source.DOCUMENT:
        return {"doc_number": head[:100], "doc_issuer": inner[:100]}
    return {}
