"""The official fonts of GB/T 9704-2012 and the installed fonts that stand in for them.

Documents name the official fonts, so that they print right on the office PCs that have
them. Servers rarely do (they are not free), so PDF conversion maps each one to an
installed CJK font through a fontconfig alias file; ``LUOSHI_FONT_MAP`` overrides the
mapping (``仿宋_GB2312=Noto Serif CJK SC;黑体=Noto Sans CJK SC``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

# The fonts GB/T 9704-2012 names, by the role they play in a document.
TITLE = "方正小标宋简体"
BODY = "仿宋_GB2312"
HEADING = "黑体"
SUBHEADING = "楷体_GB2312"
PAGE_NUMBER = "宋体"  # 4号半角宋体 page numbers
OFFICIAL = (TITLE, BODY, HEADING, SUBHEADING, PAGE_NUMBER)

# Candidates per official font, best first; the first one installed is used.
CANDIDATES: dict[str, tuple[str, ...]] = {
    TITLE: ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "AR PL UMing CN"),
    BODY: ("仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", "AR PL UMing CN"),
    HEADING: ("黑体", "SimHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"),
    SUBHEADING: ("楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    PAGE_NUMBER: ("宋体", "SimSun", "Noto Serif CJK SC", "AR PL UMing CN"),
}


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    out = subprocess.run(  # noqa: S603 (fixed arguments)
        [fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    families: set[str] = set()
    for line in out.splitlines():
        families.update(part.strip() for part in line.split(",") if part.strip())
    return frozenset(families)


def _overrides() -> dict[str, str]:
    raw = os.environ.get("LUOSHI_FONT_MAP", "")
    pairs = (item.split("=", 1) for item in raw.split(";") if "=" in item)
    return {key.strip(): value.strip() for key, value in pairs if key.strip() and value.strip()}


def font_map() -> dict[str, str]:
    """Official font → the installed family PDF conversion uses for it ("" when none)."""
    installed = installed_families()
    overrides = _overrides()
    mapping = {}
    for official in OFFICIAL:
        if official in overrides:
            mapping[official] = overrides[official]
            continue
        mapping[official] = next((f for f in CANDIDATES[official] if f in installed), "")
    return mapping


def substitutions() -> dict[str, str]:
    """Only the official fonts that are not installed, with what stands in for them."""
    installed = installed_families()
    return {k: v for k, v in font_map().items() if k not in installed and v}


def fontconfig_file(directory: Path) -> Path:
    """A fontconfig file that loads the system's configuration and then maps every missing
    official font to its stand-in, so LibreOffice lays the page out with real CJK glyphs."""
    directory.mkdir(parents=True, exist_ok=True)
    aliases = "".join(
        "<match target='pattern'><test name='family'><string>"
        f"{escape(official)}</string></test><edit name='family' mode='assign' binding='strong'>"
        f"<string>{escape(stand_in)}</string></edit></match>"
        for official, stand_in in substitutions().items()
    )
    text = (
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        f"<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>{aliases}</fontconfig>"
    )
    path = directory / "fonts.conf"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        # Written aside and renamed: another process converting at the same moment must
        # never read a half-written file.
        spare = directory / f"fonts.conf.{os.getpid()}"
        spare.write_text(text, encoding="utf-8")
        os.replace(spare, path)
    return path
