"""Unit names in a sheet matched to the unit tree, with suggestions for near misses."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from luoshi.org.models import Unit

SPLIT = re.compile(r"[、，,;；/\n\r]+")
# Prefixes offices drop when they write a unit's name (“住建局” for “市住建局”).
_PREFIXES = ("市", "区", "县")
MAX_SUGGESTIONS = 3


def split_names(text: str) -> list[str]:
    return [part.strip() for part in SPLIT.split(text or "") if part.strip()]


def _bare(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return name[len(prefix) :]
    return name


@dataclass
class Match:
    unit_id: int | None = None
    message: str = ""
    suggestions: list[str] = field(default_factory=list)


class UnitMatcher:
    """Active units by exact name, then by short name; one query when built."""

    def __init__(self) -> None:
        rows = list(Unit.objects.filter(is_active=True).values("id", "name", "short_name", "path"))
        self.units = {r["id"]: r for r in rows}
        self.names: dict[str, set[int]] = {}
        self.short: dict[str, set[int]] = {}
        for r in rows:
            self.names.setdefault(r["name"], set()).add(r["id"])
            if r["short_name"]:
                self.short.setdefault(r["short_name"], set()).add(r["id"])
        all_names = {n: r["name"] for r in rows for n in (r["name"], r["short_name"]) if n}
        self._choices = all_names  # a written name or short name → the unit's full name

    def path_text(self, unit_id: int) -> str:
        ids = [int(p) for p in self.units[unit_id]["path"].strip("/").split("/") if p]
        return "/".join(self.units[i]["name"] for i in ids if i in self.units)

    def match(self, name: str) -> Match:
        ids = self.names.get(name) or self.short.get(name) or set()
        if len(ids) == 1:
            return Match(unit_id=next(iter(ids)))
        if len(ids) > 1:
            paths = sorted(self.path_text(i) for i in ids)
            return Match(
                message=f"有多个名为“{name}”的单位：{'；'.join(paths)}，请写出简称或联系督查室区分。",
                suggestions=paths,
            )
        suggestions = self.suggest(name)
        if suggestions:
            hint = "、".join(suggestions)
            return Match(message=f"未找到单位“{name}”，您是不是要找：{hint}？",
                         suggestions=suggestions)  # fmt: skip
        return Match(message=f"未找到单位“{name}”，请核对单位名称。")

    def suggest(self, name: str) -> list[str]:
        bare = _bare(name)
        contained = [
            (difflib.SequenceMatcher(None, name, written).ratio(), full)
            for written, full in self._choices.items()
            if bare in _bare(written) or _bare(written) in bare
        ]
        out: list[str] = []
        for _ratio, full in sorted(contained, key=lambda pair: -pair[0]):
            if full not in out:
                out.append(full)
        # Compared without the 市/区/县 prefix, so that “水利厅” finds “市水利局”.
        bare_choices: dict[str, str] = {}
        for written, full in self._choices.items():
            bare_choices.setdefault(_bare(written), full)
        for written in difflib.get_close_matches(bare, list(bare_choices), n=6, cutoff=0.6):
            full = bare_choices[written]
            if full not in out:
                out.append(full)
        return out[:MAX_SUGGESTIONS]
