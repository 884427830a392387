"""PostgreSQL: ``pg_dump --format=custom`` out, ``pg_restore`` in.

Connection parameters go to the tools through libpq's environment variables (the password
as PGPASSWORD), never on the command line, where any local user could read them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from luoshi.core.backup.manifest import database_state, quote, table_names
from luoshi.core.errors import ServiceError

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
CHUNK = 1 << 20

_SETTINGS_ENV = (
    ("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
    ("HOST", "PGHOST"), ("PORT", "PGPORT"),
)  # fmt: skip
_OPTIONS_ENV = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS",
    "passfile": "PGPASSFILE", "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}  # fmt: skip


def find_tool(name: str) -> str:
    """A PostgreSQL client program from PATH, else the newest one Debian installed."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple[int, ...]:
        major = Path(path).parent.parent.name
        return tuple(int(p) for p in major.split(".") if p.isdigit())

    candidates = sorted(glob.glob(f"{PG_BIN_GLOB}/{name}"), key=version, reverse=True)
    if candidates:
        return candidates[0]
    raise ServiceError(
        f"找不到 PostgreSQL 工具 {name}。请安装与数据库服务器同版本或更新版本的 PostgreSQL "
        f"客户端（Debian/Ubuntu：apt install postgresql-client），或把 {name} 所在目录加入 PATH。"
    )


def libpq_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in _SETTINGS_ENV:
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    for key, var in _OPTIONS_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(key)
        if value not in (None, ""):
            env[var] = str(value)
    return env


def _tail(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    return text[-800:] or "（无错误输出）"


def dump(connection: Any, dest: Path) -> tuple[dict[str, str], dict[str, int]]:
    pg_dump = find_tool("pg_dump")
    env = libpq_env(connection.settings_dict)
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # pg_dump imports the snapshot this transaction exports, so the row counts in the
        # manifest describe exactly what was dumped, even while the application writes.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        args = [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                f"--file={dest}"]  # fmt: skip
        try:
            done = subprocess.run(args, env=env, capture_output=True, check=False)  # noqa: S603
        except OSError as exc:
            raise ServiceError(f"无法运行 pg_dump（{pg_dump}）：{exc.strerror}") from None
        if done.returncode:
            raise ServiceError(f"pg_dump 备份数据库失败：{_tail(done.stderr)}")
        return database_state(cursor, "postgresql")


def other_sessions(connection: Any) -> int:
    """Other connections to this database: a running site or loop would make the
    restore wait for its locks."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def load(connection: Any, dump_file: Path, keep: set[str]) -> None:
    """Replace the database with the dump, all or nothing.

    ``pg_restore --clean --if-exists --no-owner`` writes the restore script and psql runs
    it inside one transaction that first drops tables the backup does not have (made by
    newer migrations: they would block the drops and break a later migrate). The
    transaction is committed only after pg_restore finished without error, so a failure at
    any point leaves the database as it was.
    """
    pg_restore, psql = find_tool("pg_restore"), find_tool("psql")
    env = libpq_env(connection.settings_dict)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        extra = [t for t in table_names(cursor, "postgresql") if t not in keep]
    # Our own idle session must not hold anything the drops would wait for.
    connection.close()
    preamble = "BEGIN;\nSET client_min_messages = warning;\n" + "".join(
        f"DROP TABLE IF EXISTS {quote(schema)}.{quote(t)} CASCADE;\n" for t in extra
    )
    restore_args = [pg_restore, "--clean", "--if-exists", "--no-owner", "--file=-",
                    str(dump_file)]  # fmt: skip
    psql_args = [psql, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1"]
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        try:
            consumer = subprocess.Popen(  # noqa: S603
                psql_args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err,
                env=env,
            )  # fmt: skip
        except OSError as exc:
            raise ServiceError(f"无法运行 psql（{psql}）：{exc.strerror}") from None
        try:
            producer = subprocess.Popen(  # noqa: S603
                restore_args, stdout=subprocess.PIPE, stderr=restore_err, env=env
            )
        except OSError as exc:
            consumer.kill()  # its transaction was never committed
            consumer.wait()
            raise ServiceError(f"无法运行 pg_restore（{pg_restore}）：{exc.strerror}") from None
        produced, consumed = _pipe(preamble.encode(), producer, consumer)
        if consumed:
            psql_err.seek(0)
            raise ServiceError(f"恢复数据库失败，数据库未改动：{_tail(psql_err.read())}")
        if produced:
            restore_err.seek(0)
            message = _tail(restore_err.read())
            raise ServiceError(f"pg_restore 读取备份失败，数据库未改动：{message}")


def _pipe(preamble: bytes, producer: subprocess.Popen[bytes],
          consumer: subprocess.Popen[bytes]) -> tuple[int, int]:  # fmt: skip
    """Feed psql the preamble and pg_restore's script, then COMMIT only if pg_restore
    ended well: without COMMIT, psql's end of input rolls the transaction back."""
    assert consumer.stdin is not None and producer.stdout is not None
    fed = _pump(preamble, producer.stdout, consumer.stdin)
    producer.stdout.close()  # lets pg_restore end if psql stopped reading early
    produced = producer.wait() if fed else -1
    if produced == 0:
        _write(consumer.stdin, b"COMMIT;\n")
    with contextlib.suppress(BrokenPipeError):
        consumer.stdin.close()
    consumed = consumer.wait()
    if producer.poll() is None:
        producer.kill()
        producer.wait()
    return produced, consumed


def _pump(preamble: bytes, source: IO[bytes], sink: IO[bytes]) -> bool:
    """Feed the preamble and pg_restore's script to psql; False when psql went away."""
    if not _write(sink, preamble):
        return False
    while chunk := source.read(CHUNK):
        if not _write(sink, chunk):
            return False
    return True


def _write(sink: IO[bytes], data: bytes) -> bool:
    try:
        sink.write(data)
        sink.flush()
    except BrokenPipeError:
        return False
    return True
