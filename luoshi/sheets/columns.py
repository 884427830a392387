"""The ledger sheet's columns: the export's layout and the header words the import accepts.

Offices name the same column in many ways; each key lists its synonyms, the most specific
first (a column headed “牵头单位” beats one headed “责任单位” for the lead unit)."""

from __future__ import annotations

import re
import unicodedata

# The export's layout, left to right; the import reads the first nine and ignores the rest.
EXPORT_HEADERS = [
    "序号", "事项编号", "事项名称", "来源", "牵头单位", "配合单位",
    "责任领导", "责任人", "完成时限", "进展情况", "状态", "亮灯",
]  # fmt: skip
EXPORT_WIDTHS = [6, 16, 30, 24, 20, 24, 10, 10, 12, 40, 10, 8]
# Columns written once per matter and merged down its rows.
MATTER_COLUMNS = 4

SYNONYMS: dict[str, list[str]] = {
    "seq": ["序号"],
    "number": ["事项编号", "编号"],
    "title": ["事项名称", "重点工作", "工作事项", "任务名称", "督查事项"],
    "task": ["工作任务", "具体任务", "任务内容", "工作要求", "主要内容"],
    "source": ["事项来源", "来源"],
    "lead": ["牵头单位", "主责单位", "责任单位"],
    "co": ["配合单位", "协办单位", "参与单位"],
    "leader": ["责任领导", "分管领导", "牵头领导"],
    "person": ["责任人", "具体责任人", "联系人"],
    "deadline": ["完成时限", "时间节点", "完成时间", "办结时限"],
    # Read-only columns of the export: recognised so that they are not mistaken for data.
    "ignored": ["进展情况", "状态", "亮灯"],
}
LABELS = {
    "seq": "序号", "number": "事项编号", "title": "事项名称", "task": "工作任务",
    "source": "来源", "lead": "牵头单位", "co": "配合单位", "leader": "责任领导",
    "person": "责任人", "deadline": "完成时限",
}  # fmt: skip
REQUIRED = ("title", "lead")
_RANK = {word: (key, i) for key, words in SYNONYMS.items() for i, word in enumerate(words)}
_NOISE = re.compile(r"[\s*＊:：]|[（(][^）)]*[）)]")


def normalise(text: str) -> str:
    """Header text as compared: full-width folded, spaces, marks and “（注释）” removed."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def header_key(text: str) -> tuple[str, int] | None:
    """(column key, rank among its synonyms) for a header cell, or None."""
    return _RANK.get(normalise(text))
