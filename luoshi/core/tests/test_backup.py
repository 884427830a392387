"""Backup and restore, end to end on the database the suite runs on (SQLite in memory, or
PostgreSQL with pg_dump / pg_restore): back up, wipe, restore, compare."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.core.backup import manifest as mf
from luoshi.core.backup import postgres
from luoshi.core.errors import ServiceError
from luoshi.followup.models import Attachment
from luoshi.org.models import Unit
from luoshi.workbench.tests.scenario import make_task
from luoshi.workcal.models import CalendarDay

AUDIT_TABLE = AuditRecord._meta.db_table


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return mf.database_state(cursor, connection.vendor)[1]


def file_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        handle = tar.extractfile(mf.MANIFEST_NAME)
        assert handle is not None
        return json.loads(handle.read())


def repack(src: Path, dest: Path, change: Any) -> Path:
    """A copy of the archive with ``change(name, data) -> data`` applied to each member."""
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dest, "w:gz") as tout:
        for member in tin:
            handle = tin.extractfile(member)
            data = change(member.name, handle.read() if handle else b"")
            member.size = len(data)
            tout.addfile(member, io.BytesIO(data))
    return dest


def with_manifest(src: Path, dest: Path, **changes: Any) -> Path:
    def change(name: str, data: bytes) -> bytes:
        if name != mf.MANIFEST_NAME:
            return data
        return json.dumps({**json.loads(data), **changes}).encode()

    return repack(src, dest, change)


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    (root / "通知" / "2026").mkdir(parents=True)
    (root / "通知" / "2026" / "督办通知.txt").write_text("请于本周内报送。", encoding="utf-8")
    (root / "empty.bin").write_bytes(b"")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def backup_dir(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def back_up(backup_dir: Path) -> Path:
    run("backup", "--output", str(backup_dir))
    [archive] = backup_dir.glob("luoshi-backup-*.tar.gz")
    return archive


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_wipes_and_restores_rows_and_files(users, units, now, media, backup_dir):
    task = make_task(users, units, "老旧小区改造", date(2026, 12, 31))
    for name, body in (("现场照片.jpg", b"\xff\xd8\xff" + bytes(range(256)) * 40),
                       ("验收报告.pdf", b"%PDF-1.7 report")):  # fmt: skip
        Attachment.objects.create(
            assignment=task, file=ContentFile(body, name=name), name=name, size=len(body),
            content_type="application/octet-stream", sha256=hashlib.sha256(body).hexdigest(),
            uploaded_by=users["liaison_a"],
        )  # fmt: skip
    counts, files = live_counts(), file_hashes(media)
    assert len(files) == 4 and counts["followup_attachment"] == 2

    out = run("backup", "--output", str(backup_dir))
    [archive] = backup_dir.glob("luoshi-backup-*.tar.gz")
    assert re.fullmatch(r"luoshi-backup-20261123-0930\d\d\.tar\.gz", archive.name)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert "备份完成" in out and f"{len(counts)} 张表" in out and "上传文件：4 个" in out
    manifest = read_manifest(archive)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert manifest["vendor"] == connection.vendor
    assert manifest["created_at"].startswith("2026-11-23T09:30") and manifest[
        "created_at"
    ].endswith("+08:00")
    assert manifest["row_counts"] == counts
    assert manifest["migrations"]["followup"] >= "0001" and "audit" in manifest["migrations"]
    assert names == {mf.MANIFEST_NAME, *manifest["files"]}
    assert {f"media/{n}" for n in files} <= set(manifest["files"])
    assert all(manifest["files"][f"media/{n}"]["sha256"] == h for n, h in files.items())
    backed_up = AuditRecord.objects.get(event=Event.BACKUP)
    assert backed_up.success and backed_up.user_id is None and backed_up.object_repr == archive.name

    # Wipe: rows deleted and added, uploads deleted, changed and added.
    Attachment.objects.all().delete()
    CalendarDay.objects.filter(date__year=2025).delete()
    Unit.objects.create(name="恢复后应消失的单位", kind="office", parent=units["市政府督查室"])
    stored = sorted((media / "evidence").rglob("*.*"))
    stored[0].unlink()
    stored[1].write_bytes(b"tampered")
    (media / "新增.txt").write_text("备份之后新增")
    assert live_counts() != counts and file_hashes(media) != files

    out = run("restore", str(archive), "--yes")

    assert "恢复完成" in out and "行数与备份清单一致" in out
    restored = live_counts()
    assert restored[AUDIT_TABLE] == counts[AUDIT_TABLE] + 1  # the RESTORE record
    audit_tables = {t for t in counts if t.startswith("audit_")}  # the chain head appears too
    assert {t: n for t, n in restored.items() if t not in audit_tables} == {
        t: n for t, n in counts.items() if t not in audit_tables
    }
    assert file_hashes(media) == files
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == attachment.sha256
    # The restored log has no record of the backup (it came later) and ends with the restore.
    last = AuditRecord.objects.order_by("-seq").first()
    assert last is not None and last.event == Event.RESTORE and last.success
    after = last.after or {}
    assert after["backup_created_at"] == manifest["created_at"]
    assert after["replaced_audit_head"]["seq"] == backed_up.seq
    assert not AuditRecord.objects.filter(event=Event.BACKUP).exists()
    assert sorted(p.name for p in media.parent.iterdir()) == ["backups", "media"]  # no leftovers


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_damaged_archive_and_changes_nothing(media, backup_dir, tmp_path):
    archive = back_up(backup_dir)
    Unit.objects.create(name="备份之后的单位", kind="office")
    counts, files = live_counts(), file_hashes(media)
    member = "media/通知/2026/督办通知.txt"

    def flip(name: str, data: bytes) -> bytes:
        return data.replace("本周".encode(), "下周".encode()) if name == member else data

    damaged = repack(archive, tmp_path / "damaged.tar.gz", flip)
    with pytest.raises(CommandError, match=rf"{member} 的校验值与清单不符，未做任何更改"):
        run("restore", str(damaged), "--yes")

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match=r"truncated.tar.gz 已损坏，无法读取"):
        run("restore", str(truncated), "--yes")

    def drop_db(name: str, data: bytes) -> bytes:
        return b"" if name.startswith("database/") else data

    with pytest.raises(CommandError, match=r"database/luoshi.* 的校验值与清单不符"):
        run("restore", str(repack(archive, tmp_path / "nodb.tar.gz", drop_db)), "--yes")

    assert live_counts() == {**counts, AUDIT_TABLE: counts[AUDIT_TABLE] + 3}
    assert file_hashes(media) == files
    failures = AuditRecord.objects.filter(event=Event.RESTORE, success=False)
    assert failures.count() == 3 and member in failures.order_by("seq")[0].detail
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.django_db(transaction=True)
def test_it_refuses_another_database_or_a_newer_schema(media, backup_dir, tmp_path, monkeypatch):
    archive = back_up(backup_dir)
    Unit.objects.create(name="备份之后的单位", kind="office")
    counts = live_counts()

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    foreign = with_manifest(archive, tmp_path / "foreign.tar.gz", vendor=other)
    with pytest.raises(CommandError, match=r"当前使用的是 .*，不能恢复"):
        run("restore", str(foreign), "--yes")

    newer = read_manifest(archive)["migrations"]
    newer["ledger"] = "9999_from_the_future"
    future = with_manifest(archive, tmp_path / "future.tar.gz", migrations=newer)
    with pytest.raises(CommandError, match=r"比当前程序新.*ledger.9999_from_the_future"):
        run("restore", str(future), "--yes")

    # Without --yes the operator is asked; anything but "yes" changes nothing.
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match=r"已取消恢复，未做任何更改"):
        run("restore", str(archive))

    assert live_counts() == {**counts, AUDIT_TABLE: counts[AUDIT_TABLE] + 2}
    assert Unit.objects.filter(name="备份之后的单位").exists()


@pytest.mark.django_db(transaction=True)
def test_it_leaves_postgresql_as_it_was_when_pg_restore_fails(monkeypatch, media, backup_dir,
                                                              tmp_path):  # fmt: skip
    if connection.vendor != "postgresql":
        pytest.skip("pg_restore is used on PostgreSQL only")
    archive = back_up(backup_dir)
    Unit.objects.create(name="备份之后的单位", kind="office")
    counts, files = live_counts(), file_hashes(media)
    # A pg_restore that dies half-way, after its script already dropped a table.
    fake = tmp_path / "pg_restore"
    fake.write_text("#!/bin/sh\necho 'DROP TABLE public.org_unit CASCADE;'\n"
                    "echo 'pg_restore: error: 模拟中断' >&2\nexit 1\n")  # fmt: skip
    fake.chmod(0o755)
    real = postgres.find_tool
    monkeypatch.setattr(
        postgres, "find_tool", lambda n: str(fake) if n == "pg_restore" else real(n)
    )

    with pytest.raises(CommandError, match=r"pg_restore 读取备份失败，数据库未改动：.*模拟中断"):
        run("restore", str(archive), "--yes")

    assert live_counts() == {**counts, AUDIT_TABLE: counts[AUDIT_TABLE] + 1}
    assert Unit.objects.filter(name="备份之后的单位").exists()
    assert file_hashes(media) == files


def test_it_says_in_chinese_when_pg_dump_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(postgres.shutil, "which", lambda name: None)
    monkeypatch.setattr(postgres, "PG_BIN_GLOB", str(tmp_path / "*" / "bin"))
    with pytest.raises(ServiceError, match=r"找不到 PostgreSQL 工具 pg_dump.*postgresql-client"):
        postgres.find_tool("pg_dump")
    for version in ("13", "15", "9.6"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "pg_dump").touch()
    assert postgres.find_tool("pg_dump") == str(tmp_path / "15" / "bin" / "pg_dump")


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_nothing_when_pg_dump_is_missing(monkeypatch, media, backup_dir, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is used on PostgreSQL only")
    monkeypatch.setattr(postgres.shutil, "which", lambda name: None)
    monkeypatch.setattr(postgres, "PG_BIN_GLOB", str(tmp_path / "none" / "bin"))
    with pytest.raises(CommandError, match=r"备份失败：找不到 PostgreSQL 工具 pg_dump"):
        run("backup", "--output", str(backup_dir))
    assert list(backup_dir.iterdir()) == []
    failure = AuditRecord.objects.get(event=Event.BACKUP)
    assert not failure.success and "pg_dump" in failure.detail


def test_it_gives_the_password_to_pg_tools_by_environment_only() -> None:
    env = postgres.libpq_env({
        "NAME": "luoshi", "USER": "app", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5433,
        "OPTIONS": {"sslmode": "verify-full", "pool": True},
    })  # fmt: skip
    assert (env["PGDATABASE"], env["PGUSER"], env["PGPASSWORD"]) == ("luoshi", "app", "s3cret")
    assert (env["PGHOST"], env["PGPORT"], env["PGSSLMODE"]) == ("db", "5433", "verify-full")
