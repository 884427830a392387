"""A tiny writer of OLE2 compound files (the legacy .doc/.xls/.ppt container), enough to
build test fixtures: olefile only reads. Version 3, 512-byte sectors; streams are empty or
at least 4096 bytes long, so no mini stream is needed."""

from __future__ import annotations

import itertools
import struct

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sort_key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def build(paths: dict[str, bytes | None]) -> bytes:
    """A compound file holding ``paths``: "Macros/VBA" → None is a storage, bytes a stream
    (empty, or padded to 4096 bytes). Parent storages are created as needed."""
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "data": b"", "children": []}]
    index: dict[str, int] = {"": 0}
    for path, data in paths.items():
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key in index:
                continue
            last = depth == len(parts)
            is_stream = last and data is not None
            payload = b""
            if is_stream and data:
                payload = data + b"\0" * max(0, 4096 - len(data))
            entries.append({"name": parts[depth - 1], "type": 2 if is_stream else 1,
                            "data": payload, "children": []})  # fmt: skip
            index[key] = len(entries) - 1
            entries[index["/".join(parts[: depth - 1])]]["children"].append(index[key])
    # Stream sectors first (after the FAT and directory sectors), each chained in the FAT.
    dir_sectors = (len(entries) * 128 + SECTOR - 1) // SECTOR
    data_sectors = sum((len(e["data"]) + SECTOR - 1) // SECTOR for e in entries)
    fat_sectors = 1
    while (fat_sectors + dir_sectors + data_sectors) > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    fat = [FREE] * (fat_sectors * SECTOR // 4)
    for i in range(fat_sectors):
        fat[i] = FATSECT
    first_dir = fat_sectors
    for i in range(dir_sectors):
        fat[first_dir + i] = first_dir + i + 1 if i < dir_sectors - 1 else END
    body = bytearray()
    nxt = first_dir + dir_sectors
    for e in entries:
        count = (len(e["data"]) + SECTOR - 1) // SECTOR
        e["start"] = nxt if count else END
        for i in range(count):
            fat[nxt + i] = nxt + i + 1 if i < count - 1 else END
        body += e["data"] + b"\0" * (count * SECTOR - len(e["data"]))
        nxt += count
    # Children of a storage as a chain of right siblings: a valid (if unbalanced) tree.
    for e in entries:
        e["left"] = e["right"] = e["child"] = NOSTREAM
    for e in entries:
        kids = sorted(e["children"], key=lambda i: _sort_key(entries[i]["name"]))
        if kids:
            e["child"] = kids[0]
            for a, b in itertools.pairwise(kids):
                entries[a]["right"] = b
    directory = bytearray()
    for e in entries:
        name = e["name"].encode("utf-16-le") + b"\0\0"
        directory += name.ljust(64, b"\0")
        directory += struct.pack("<HBB", len(name), e["type"], 1)
        directory += struct.pack("<III", e["left"], e["right"], e["child"])
        directory += b"\0" * 16 + b"\0" * 4 + b"\0" * 16
        directory += struct.pack("<IQ", e["start"], len(e["data"]))
    directory += b"\0" * (dir_sectors * SECTOR - len(directory))
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = MAGIC + b"\0" * 16 + struct.pack(
        "<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, fat_sectors, first_dir,
        0, 4096, END, 0, END, 0,
    )  # fmt: skip
    header += struct.pack("<109I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return bytes(header + fat_bytes + directory + body)
