"""How the file writes people, times, dates and names, the same in every part of it."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

# Characters Windows refuses in file names, and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
            *(f"LPT{i}" for i in range(10))}  # fmt: skip
MAX_NAME = 80  # characters: deep paths with long names break Windows Explorer


def person(user: Any) -> str:
    if user is None:
        return "系统"
    return getattr(user, "name", "") or getattr(user, "username", "") or "系统"


def when(at: datetime | None) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else "—"


def stamp(at: datetime | None) -> str:
    """Local time with its UTC offset, so a log reads the same in any time zone."""
    return timezone.localtime(at).isoformat(sep=" ", timespec="seconds") if at else ""


def day(d: date | None) -> str:
    return f"{d:%Y-%m-%d}" if d else "—"


def number(value: Decimal | None) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def safe_name(name: str, fallback: str = "文件") -> str:
    """A name every desktop accepts: no separators or reserved characters, no leading dots
    (hidden files), not a reserved device name, and not too long (the suffix is kept)."""
    name = UNSAFE.sub("_", name or "").strip().strip(".").strip()
    if not name:
        name = fallback
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    if stem.upper() in RESERVED:
        stem = f"_{stem}"
    stem = stem[: MAX_NAME - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)`` and so on when the folder already holds that name (the
    check ignores case, as Windows does)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem} ({n}).{suffix}" if suffix else f"{stem} ({n})"
    taken.add(candidate.lower())
    return candidate
