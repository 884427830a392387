"""The archive: a gzip'd tar of ``database/…``, ``media/…`` and ``manifest.json``.

The manifest is the last member because it holds the SHA-256 of every other member,
computed while each is written; restoring checks them while unpacking into a staging
folder, so a damaged archive is refused before anything live is touched.
"""

from __future__ import annotations

import gzip
import json
import os
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from luoshi.core.backup import manifest
from luoshi.core.errors import ServiceError
from luoshi.core.hashing import HashingReader, HashingWriter, copy_hashed

DATABASE_DIR = "database"
MEDIA_DIR = "media"
CHUNK = 1 << 20
MANIFEST_MAX_BYTES = 64 << 20


@dataclass
class Written:
    path: Path
    size: int
    sha256: str
    files: dict[str, dict[str, Any]] = field(default_factory=dict)


def media_members(media_root: Path) -> Iterable[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT, in a stable order; symbolic links are left
    out so a backup never follows one outside the folder."""
    if not media_root.is_dir():
        return
    for folder, dirs, names in os.walk(media_root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}", path


def write(target: Path, members: Iterable[tuple[str, Path]], data: dict[str, Any]) -> Written:
    """Write ``members`` and the manifest ``data`` (with ``files`` filled in) to a
    temporary name beside ``target`` (mode 0600), then rename it into place."""
    fd, part_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    part = Path(part_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            out = HashingWriter(raw)
            files: dict[str, dict[str, Any]] = {}
            # Level 6: uploads (photos, PDF, Office files) are already compressed.
            with (
                gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as gz,
                tarfile.open(fileobj=gz, mode="w|", format=tarfile.PAX_FORMAT) as tar,
            ):
                for name, path in members:
                    entry = _add_file(tar, name, path)
                    if entry is not None:
                        files[name] = entry
                blob = json.dumps({**data, "files": files}, ensure_ascii=False, indent=1)
                _add_bytes(tar, manifest.MANIFEST_NAME, blob.encode("utf-8"))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return Written(target, out.size, out.hexdigest(), files)


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any] | None:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None  # an upload removed while the backup ran
    with handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = HashingReader(handle)
        # tarfile copies exactly ``size`` bytes, so the hash covers what the archive holds.
        tar.addfile(info, reader)
    return {"size": reader.size, "sha256": reader.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, blob: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(blob), 0o600, int(time.time())
    tar.addfile(info, io.BytesIO(blob))


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@dataclass
class Extracted:
    data: dict[str, Any]
    size: int
    sha256: str


def extract(archive: Path, staging: Path) -> Extracted:
    """Unpack ``archive`` into ``staging`` and check every member against the manifest.

    Raises ServiceError naming the first bad file; nothing outside ``staging`` is written
    (the caller removes it)."""
    seen: dict[str, tuple[int, str]] = {}
    raw_manifest: bytes | None = None
    try:
        with archive.open("rb") as raw:
            source = HashingReader(raw)
            with tarfile.open(fileobj=source, mode="r|gz") as tar:  # type: ignore[call-overload]
                for member in tar:
                    name = _checked_name(member)
                    if member.isdir():
                        continue
                    if name in seen or (name == manifest.MANIFEST_NAME and raw_manifest):
                        raise ServiceError(f"备份文件中 {name} 出现了两次，拒绝恢复。")
                    handle = tar.extractfile(member)
                    assert handle is not None  # a regular file, checked above
                    if name == manifest.MANIFEST_NAME:
                        raw_manifest = handle.read(MANIFEST_MAX_BYTES)
                    else:
                        seen[name] = _unpack(handle, staging / name, member.mtime)
            while source.read(CHUNK):  # the whole file counts towards its SHA-256
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise ServiceError(
            f"备份文件 {archive.name} 已损坏，无法读取（{exc}），未做任何更改。"
        ) from None
    if raw_manifest is None:
        raise ServiceError(f"备份文件 {archive.name} 中没有清单 manifest.json，拒绝恢复。")
    data = manifest.parse(raw_manifest)
    _compare(data["files"], seen)
    if data["database_file"] not in seen:
        raise ServiceError("备份文件中没有数据库，拒绝恢复。")
    return Extracted(data, source.size, source.hexdigest())


def _checked_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    parts = [p for p in path.parts if p != "."]
    name = "/".join(parts)
    safe = (
        not path.is_absolute()
        and ".." not in parts
        and (name == manifest.MANIFEST_NAME or parts[0] in {DATABASE_DIR, MEDIA_DIR})
    )
    if not safe or not (member.isfile() or member.isdir()):
        raise ServiceError(f"备份文件中含有不应出现的条目 {member.name}，拒绝恢复。")
    return name


def _unpack(handle: IO[bytes], dest: Path, mtime: float) -> tuple[int, str]:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with dest.open("wb") as out:
            size, digest = copy_hashed(handle, out, CHUNK)
        os.utime(dest, (mtime, mtime))
    except OSError as exc:
        # Writing the staging folder failed (a full disk, most likely), not the archive.
        raise ServiceError(f"无法解压到临时目录 {dest.parent}：{exc.strerror}。") from None
    return size, digest


def _compare(listed: dict[str, Any], seen: dict[str, tuple[int, str]]) -> None:
    for name, entry in sorted(listed.items()):
        if name not in seen:
            raise ServiceError(f"备份文件已损坏：缺少 {name}，未做任何更改。")
        size, sha = seen[name]
        if not isinstance(entry, dict) or (size, sha) != (entry.get("size"), entry.get("sha256")):
            raise ServiceError(f"备份文件已损坏：{name} 的校验值与清单不符，未做任何更改。")
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise ServiceError(f"备份文件中的 {extra[0]} 不在清单中，拒绝恢复。")
