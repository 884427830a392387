"""The hash chain: what a record's hash covers, and how a chain is checked.

A record's hash is SHA-256 over the previous record's hash and a canonical JSON of its
own fields. Editing any field breaks that record's hash; deleting a record breaks the
next one's link (and leaves a gap in ``seq``). A purge of old records appends a record
naming the last purged ``seq`` and hash, so the remaining chain still starts from a
known point.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "at", "user_id", "username", "user_name", "unit_name", "roles", "address",
    "request_id", "method", "path", "event", "object_type", "object_id", "object_repr",
    "success", "status_code", "before", "after", "detail",
)  # fmt: skip


def canonical(fields: dict[str, Any]) -> str:
    values = {name: fields.get(name) for name in HASHED_FIELDS}
    at = values["at"]
    if at is not None and not isinstance(at, str):
        # Microseconds in UTC: the same instant hashes the same whatever the time zone.
        values["at"] = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(records: Iterable[Any], anchors: dict[int, str]) -> tuple[int, Break | None]:
    """Check records in ``seq`` order; returns (records checked, first break or None).

    ``anchors`` maps a purged ``seq`` to its hash, as stated by purge records: the first
    remaining record must follow the genesis or one of them.
    """
    checked = 0
    expected_seq: int | None = None
    expected_prev: str | None = None
    for rec in records:
        if expected_seq is None:
            if rec.seq == 1:
                expected_prev = GENESIS
            elif rec.seq - 1 in anchors:
                expected_prev = anchors[rec.seq - 1]
            else:
                return checked, Break(
                    rec.seq, f"第 {rec.seq} 条之前的记录缺失，且没有清理记录说明。"
                )
        elif rec.seq != expected_seq:
            return checked, Break(expected_seq, f"第 {expected_seq} 条记录缺失（被删除）。")
        if rec.prev_hash != expected_prev:
            return checked, Break(
                rec.seq, f"第 {rec.seq} 条的前序哈希与上一条不符（上一条被修改或删除）。"
            )
        fields = {name: getattr(rec, name) for name in HASHED_FIELDS}
        if digest(rec.prev_hash, fields) != rec.hash:
            return checked, Break(rec.seq, f"第 {rec.seq} 条的内容与其哈希不符（记录被修改）。")
        checked += 1
        expected_seq = rec.seq + 1
        expected_prev = rec.hash
    return checked, None
