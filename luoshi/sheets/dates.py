"""Deadlines as offices write them in a 责任分解表: Excel dates, or text such as
“2026年6月底前”, “6月30日前”, “二季度末”, “长期坚持”."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

LONG_TERM = {"长期", "长期坚持", "持续推进", "常态化", "长期推进", "持续开展", "常态化推进"}
# What may follow a deadline without changing it: “前”, “以前”, “完成” …
_TAIL = r"(?:之前|以前|前|完成|到位|止)*$"
_YEAR = r"(?:(?P<y>\d{4})年)?"
_QUARTERS = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
_PATTERNS = [
    ("ymd", re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:日)?" + _TAIL)),
    ("ymd", re.compile(r"^" + _YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]" + _TAIL)),
    ("month", re.compile(r"^" + _YEAR + r"(?P<m>\d{1,2})月(?:底|末|份|内)?" + _TAIL)),
    ("year", re.compile(r"^" + _YEAR + r"(?:年底|年末|年内|全年|底)" + _TAIL)),
    ("half", re.compile(r"^" + _YEAR + r"(?P<h>上|下)半年(?:末|底|内)?" + _TAIL)),
    ("quarter", re.compile(r"^" + _YEAR + r"第?(?P<q>[一二三四1-4])季度(?:末|底|内)?" + _TAIL)),
]


class DeadlineError(ValueError):
    """The text is not a deadline this parser understands; the message quotes it."""


@dataclass(frozen=True)
class Deadline:
    due: date | None
    long_term: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(value: object, year: int) -> Deadline | None:
    """None for an empty cell; ``year`` is the batch's 年度 for text without a year."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return Deadline(value.date())
    if isinstance(value, date):
        return Deadline(value)
    raw = str(value).strip()
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).rstrip("。.，,")
    if not text:
        return None
    if text in LONG_TERM:
        return Deadline(None, long_term=True)
    for kind, pattern in _PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        parts = found.groupdict()
        y = int(parts["y"]) if parts.get("y") else year
        try:
            due = _resolve(kind, parts, y)
        except ValueError:
            raise DeadlineError(f"日期“{raw}”不存在。") from None
        if not 2000 <= due.year <= 2100:
            raise DeadlineError(f"日期“{raw}”的年份不合理。")
        return Deadline(due)
    raise DeadlineError(
        f"无法识别完成时限“{raw}”，请写成日期（如 2026-06-30、2026年6月底前）或“长期”。"
    )


def _resolve(kind: str, parts: dict[str, str | None], year: int) -> date:
    if kind == "ymd":
        return date(year, int(parts["m"] or 0), int(parts["d"] or 0))
    if kind == "month":
        return _month_end(year, int(parts["m"] or 0))
    if kind == "half":
        return date(year, 6, 30) if parts["h"] == "上" else date(year, 12, 31)
    if kind == "quarter":
        return _month_end(year, _QUARTERS[parts["q"] or ""])
    return date(year, 12, 31)


def parse_date(text: str) -> date | None:
    """A plain date (“2026年11月20日”, “2026-11-20”), or None when the text is not one."""
    try:
        found = parse_deadline(text, 2000)
    except DeadlineError:
        return None
    return found.due if found and re.search(r"\d{4}", text) else None
