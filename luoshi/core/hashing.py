"""SHA-256 of bytes on their way through: one pass, whether they are read, written or
copied, so what is checked or recorded is exactly what went through."""

from __future__ import annotations

import hashlib
from typing import IO

CHUNK = 1 << 20


class HashingWriter:
    """A writer that passes bytes on and keeps their SHA-256 and count."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target, self.sha, self.size = target, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.target.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.target.flush()

    def hexdigest(self) -> str:
        return self.sha.hexdigest()


class HashingReader:
    """A reader that keeps the SHA-256 and count of what was read from it."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source, self.sha, self.size = source, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self.sha.hexdigest()


def copy_hashed(source: IO[bytes], target: IO[bytes], chunk: int = CHUNK) -> tuple[int, str]:
    """Copy ``source`` into ``target``; returns the byte count and SHA-256 of the copy."""
    sink = HashingWriter(target)
    while data := source.read(chunk):
        sink.write(data)
    return sink.size, sink.hexdigest()
