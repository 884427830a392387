"""Backing up and restoring the whole installation: database and uploaded files.

Both run outside any transaction (each database is handled by its own tools) and are
audited as the system's actions; a failure is audited too, then raised.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

from luoshi.audit.events import Event
from luoshi.audit.services import audit
from luoshi.core.backup import archive, postgres, sqlite
from luoshi.core.backup import manifest as mf
from luoshi.core.errors import ServiceError

logger = logging.getLogger(__name__)

DATABASE_FILES = {"sqlite": "luoshi.sqlite3", "postgresql": "luoshi.pgdump"}


class RestoreCancelled(ServiceError):
    """The operator answered no: nothing was changed."""


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    created_at: str
    vendor: str
    tables: int
    rows: int
    files: int
    media_bytes: int


@dataclass
class RestoreResult:
    archive: Path
    sha256: str
    created_at: str
    tables: int
    rows: int
    files: int
    needs_migrate: bool
    # The live audit chain's head before the restore: records after the backup are gone
    # with it, and the RESTORE record says which ones.
    replaced_audit_head: dict[str, Any] | None = None


def default_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def _connection() -> Any:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor not in DATABASE_FILES:
        raise ServiceError(f"不支持备份 {connection.vendor} 数据库。")
    if connection.in_atomic_block:
        raise ServiceError("备份与恢复不能在事务中进行。")
    return connection


def _audit_failure(event: str, name: str, exc: Exception) -> None:
    detail = exc.message if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
    try:
        audit(event, object_type="backup", object_repr=name, success=False, detail=detail)
    except Exception:
        # The database is a likely cause of the failure; the original error matters more.
        logger.exception("无法记录%s失败的审计记录", event)


def backup_create(output_dir: Path | None = None) -> BackupResult:
    """Write one archive (database, uploads, manifest) into ``output_dir``."""
    try:
        result = _backup(Path(output_dir) if output_dir else default_dir())
    except Exception as exc:
        _audit_failure(Event.BACKUP, str(output_dir or default_dir()), exc)
        raise
    audit(
        Event.BACKUP,
        object_type="backup",
        object_repr=result.path.name,
        detail=f"备份到 {result.path}：{result.tables} 张表 {result.rows} 行，"
        f"上传文件 {result.files} 个",
        after={"file": str(result.path), "size": result.size, "sha256": result.sha256,
               "tables": result.tables, "rows": result.rows, "files": result.files},
    )  # fmt: skip
    return result


def _backup(out: Path) -> BackupResult:
    connection = _connection()
    vendor = connection.vendor
    out = out.resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if out == media_root or media_root in out.parents:
        raise ServiceError("备份目录不能位于上传文件目录（MEDIA_ROOT）之内。")
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ServiceError(f"无法创建备份目录 {out}：{exc.strerror}") from None
    created = timezone.localtime()
    target = _unused(out / f"luoshi-backup-{created:%Y%m%d-%H%M%S}.tar.gz")
    db_member = f"{archive.DATABASE_DIR}/{DATABASE_FILES[vendor]}"
    with tempfile.TemporaryDirectory(prefix=".luoshi-backup-", dir=out) as work:
        db_path = Path(work) / DATABASE_FILES[vendor]
        dump = sqlite.dump if vendor == "sqlite" else postgres.dump
        migrations, counts = dump(connection, db_path)
        data = {
            "format": mf.FORMAT,
            "format_version": mf.FORMAT_VERSION,
            "created_at": created.isoformat(timespec="seconds"),
            "vendor": vendor,
            "database_file": db_member,
            "migrations": migrations,
            "row_counts": counts,
        }
        members = [(db_member, db_path), *archive.media_members(media_root)]
        try:
            written = archive.write(target, members, data)
        except OSError as exc:
            raise ServiceError(f"写入备份文件 {target} 失败：{exc}") from None
    media = [e for name, e in written.files.items() if name != db_member]
    return BackupResult(
        path=written.path, size=written.size, sha256=written.sha256,
        created_at=data["created_at"], vendor=vendor, tables=len(counts),
        rows=sum(counts.values()), files=len(media),
        media_bytes=sum(e["size"] for e in media),
    )  # fmt: skip


def _unused(path: Path) -> Path:
    stem = path.name.removesuffix(".tar.gz")
    n = 1
    while path.exists():
        n += 1
        path = path.with_name(f"{stem}-{n}.tar.gz")
    return path


def backup_restore(
    path: Path, *, confirm: Callable[[dict[str, Any]], bool] = lambda data: True
) -> RestoreResult:
    """Check ``path`` whole, ask ``confirm``, then replace the database and the uploads.

    The RESTORE record is written after the restore, so it is part of the restored log.
    """
    try:
        result = _restore(Path(path), confirm)
    except RestoreCancelled:
        raise
    except Exception as exc:
        _audit_failure(Event.RESTORE, Path(path).name, exc)
        raise
    audit(
        Event.RESTORE,
        object_type="backup",
        object_repr=result.archive.name,
        detail=f"从 {result.archive.name}（{result.created_at} 的备份）恢复："
        f"{result.tables} 张表 {result.rows} 行，上传文件 {result.files} 个"
        + (f"；恢复前的审计记录截至第 {head['seq']} 条" if (head := result.replaced_audit_head)
           else ""),
        after={"file": str(result.archive), "sha256": result.sha256,
               "backup_created_at": result.created_at, "tables": result.tables,
               "rows": result.rows, "files": result.files,
               "replaced_audit_head": result.replaced_audit_head},
    )  # fmt: skip
    return result


def _restore(path: Path, confirm: Callable[[dict[str, Any]], bool]) -> RestoreResult:
    connection = _connection()
    if not path.is_file():
        raise ServiceError(f"找不到备份文件 {path}。")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, so the unpacked uploads take its place by a rename.
    staging = Path(tempfile.mkdtemp(prefix=".luoshi-restore-", dir=media_root.parent))
    try:
        extracted = archive.extract(path, staging)
        data = extracted.data
        mf.check_compatible(data, connection.vendor)
        if not confirm(data):
            raise RestoreCancelled("已取消恢复，未做任何更改。")
        replaced_head = _audit_head()
        db_file = staging / data["database_file"]
        if connection.vendor == "sqlite":
            sqlite.load(connection, db_file)
        else:
            postgres.load(connection, db_file, keep=set(data["row_counts"]))
        _forget_cached_rows()
        staged_media = staging / archive.MEDIA_DIR
        staged_media.mkdir(exist_ok=True)  # a backup without uploads empties the folder
        try:
            _swap(staged_media, media_root)
        except OSError as exc:
            raise ServiceError(
                f"数据库已恢复，但上传文件目录未能替换（原有文件保持不变）：{exc}。"
                "请处理后重新恢复。"
            ) from None
        with connection.cursor() as cursor:
            _, counts = mf.database_state(cursor, connection.vendor)
        wrong = mf.count_mismatches(data["row_counts"], counts)
        if wrong:
            raise ServiceError(
                "数据库已恢复，但行数与备份清单不符：" + "、".join(wrong[:5])
                + ("等" if len(wrong) > 5 else "") + "。请检查后重新恢复。"
            )  # fmt: skip
        media = [n for n in data["files"] if n.startswith(f"{archive.MEDIA_DIR}/")]
        return RestoreResult(
            archive=path, sha256=extracted.sha256, created_at=data["created_at"],
            tables=len(counts), rows=sum(counts.values()), files=len(media),
            needs_migrate=_needs_migrate(connection), replaced_audit_head=replaced_head,
        )  # fmt: skip
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def other_connections() -> int:
    """Other sessions on the PostgreSQL database (a site or loop still running)."""
    connection = _connection()
    return postgres.other_sessions(connection) if connection.vendor == "postgresql" else 0


def _audit_head() -> dict[str, Any] | None:
    from luoshi.audit.models import AuditHead

    try:
        head = AuditHead.objects.filter(pk=1).first()
    except DatabaseError:  # a database not yet migrated has no audit tables
        return None
    return {"seq": head.seq, "last_hash": head.last_hash} if head else None


def _forget_cached_rows() -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _swap(staged: Path, media_root: Path) -> None:
    """Put the restored uploads in place by renames: until then the old ones stay whole."""
    old = media_root.with_name(f".{media_root.name}.old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        os.rename(media_root, old)
    try:
        os.rename(staged, media_root)
    except OSError:
        if old.exists():
            os.rename(old, media_root)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _needs_migrate(connection: Any) -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
