"""What describes a backup (``manifest.json``) and whether this code may restore it."""

from __future__ import annotations

import json
from typing import Any

from luoshi.core.errors import ServiceError

FORMAT = "luoshi-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
VENDOR_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

_TABLES_SQL = {
    # sqlite_sequence and sqlite_stat* belong to SQLite itself and follow the data.
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    "postgresql": "SELECT tablename FROM pg_catalog.pg_tables "
    "WHERE schemaname = current_schema() ORDER BY tablename",
}


def vendor_label(vendor: str) -> str:
    return VENDOR_LABELS.get(vendor, vendor)


def quote(name: str) -> str:
    # Standard SQL quoting, understood by both databases and by plain sqlite3 cursors.
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor: Any, vendor: str) -> list[str]:
    cursor.execute(_TABLES_SQL[vendor])
    return [row[0] for row in cursor.fetchall()]


def database_state(cursor: Any, vendor: str) -> tuple[dict[str, str], dict[str, int]]:
    """The latest applied migration per app and the row count of every table.

    ``cursor`` may be a Django cursor or a plain DB-API cursor on a copy, so the figures
    can be read from the very snapshot that goes into the archive.
    """
    tables = table_names(cursor, vendor)
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (quoted name)
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            # Migration names start with a zero-padded number, so the greatest is the latest.
            if name > migrations.get(app, ""):
                migrations[app] = name
    return dict(sorted(migrations.items())), counts


def parse(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ServiceError(f"备份清单 {MANIFEST_NAME} 无法解析，备份文件可能已损坏。") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ServiceError("这不是落实的备份文件。")
    if data.get("format_version") != FORMAT_VERSION:
        raise ServiceError(
            f"备份格式版本 {data.get('format_version')!r} 不受支持"
            f"（当前程序支持版本 {FORMAT_VERSION}），请使用相应版本的程序恢复。"
        )
    for key, kind in (
        ("vendor", str), ("created_at", str), ("database_file", str),
        ("migrations", dict), ("row_counts", dict), ("files", dict),
    ):  # fmt: skip
        if not isinstance(data.get(key), kind):
            raise ServiceError(f"备份清单缺少 {key}，备份文件可能已损坏。")
    return data


def check_compatible(data: dict[str, Any], vendor: str) -> None:
    """Refuse what this code cannot restore faithfully: another database, or a schema
    from a newer release (its tables would not match the models)."""
    from django.db.migrations.loader import MigrationLoader

    if data["vendor"] != vendor:
        raise ServiceError(
            f"备份来自 {vendor_label(data['vendor'])} 数据库，当前使用的是 "
            f"{vendor_label(vendor)}，不能恢复。"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, name in sorted(data["migrations"].items())
        if (app, name) not in known
    ]
    if unknown:
        listed = "、".join(unknown[:5]) + ("等" if len(unknown) > 5 else "")
        raise ServiceError(
            f"备份的数据库结构比当前程序新（或来自其他版本），不能恢复：当前程序没有迁移 "
            f"{listed}。请先升级程序再恢复。"
        )


def count_mismatches(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    """Tables whose row count differs from the manifest, as Chinese phrases."""
    out = []
    for table, count in sorted(expected.items()):
        found = actual.get(table)
        if found is None:
            out.append(f"{table}（缺失）")
        elif found != count:
            out.append(f"{table}（应为 {count} 行，实为 {found} 行）")
    out.extend(f"{table}（备份中没有此表）" for table in sorted(set(actual) - set(expected)))
    return out
