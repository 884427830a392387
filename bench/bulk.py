"""Fast bulk loading into the models' own tables, for bench/generate.py.

``Loader(Model, [attnames])`` takes rows as tuples of those fields; every other concrete
field gets its model default (computed once and prepared for the database by the field
itself). Rows go in with ``COPY … FROM STDIN`` on PostgreSQL and ``executemany`` on SQLite,
which is 10–20× faster than ``bulk_create`` building a model instance per row; the schema,
columns and defaults still come from the models, and ``check_sample`` runs ``full_clean`` on
rows read back through the ORM.

``bulk_mode()`` makes the load itself cheap and undoes it afterwards: secondary indexes of
the big tables are dropped and rebuilt once at the end (as a restore does), foreign-key
checks are off during the load (``session_replication_role = replica`` on PostgreSQL, which
the throwaway cluster's superuser may set; ``PRAGMA foreign_keys = OFF`` on SQLite), and
``check_orphans`` then proves every foreign key of the loaded tables resolves.

Only the standard library at import time (see bench/sweep_data.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

UTC = UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")
EIGHT_HOURS = timedelta(hours=8)


def db_datetime(vendor: str) -> Any:
    """A converter for aware datetimes: as is for psycopg; Django's SQLite text form (UTC,
    naive, ``str()``) for SQLite, without the per-value cost of the field's adapter."""
    if vendor == "postgresql":
        return lambda value: value

    def to_text(value: datetime | None) -> str | None:
        if value is None:
            return None
        # The generator's datetimes are all in Asia/Shanghai (UTC+8 all year since 1991):
        # subtracting the offset is 4× faster than astimezone() over millions of values.
        if value.tzinfo is not SHANGHAI:
            return str(value.astimezone(UTC).replace(tzinfo=None))
        return str(value.replace(tzinfo=None) - EIGHT_HOURS)

    return to_text


class Loader:
    def __init__(self, model: Any, attnames: Sequence[str], batch: int = 20_000) -> None:
        from django.db import connection

        self.model = model
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields]
        by_att = {f.attname: f for f in fields}
        unknown = [a for a in attnames if a not in by_att]
        if unknown:
            raise ValueError(f"{model.__name__} has no field {unknown}")
        self.given = list(attnames)
        rest = [f for f in fields if f.attname not in self.given and not f.primary_key]
        self.defaults = tuple(self._default(f, connection) for f in rest)
        self.columns = [by_att[a].column for a in self.given] + [f.column for f in rest]
        self.batch = batch
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        self.vendor = connection.vendor

    @staticmethod
    def _default(field: Any, connection: Any) -> Any:
        if not field.has_default():
            if field.null:
                return None
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                raise ValueError(f"{field} is auto_now: give it a value")
            if field.blank and field.get_internal_type() in {"CharField", "TextField"}:
                return ""
            raise ValueError(f"{field.model.__name__}.{field.name} needs a value")
        return field.get_db_prep_save(field.get_default(), connection)

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        from django.db import connection

        tail = self.defaults
        cols = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as c:
            if self.vendor == "postgresql":
                with c.cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy:
                    for row in self.rows:
                        copy.write_row(row + tail)
            else:
                marks = ", ".join("?" * len(self.columns))
                connection.connection.executemany(
                    f'INSERT INTO "{self.table}" ({cols}) VALUES ({marks})',
                    [row + tail for row in self.rows],
                )
        self.count += len(self.rows)
        self.rows = []


# --- bulk mode --------------------------------------------------------------------------


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes that no constraint owns."""
    from django.db import connection

    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname "
                "NOT IN (SELECT conname FROM pg_constraint)",
                [table],
            )
        else:
            c.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
        return [(name, sql) for name, sql in c.fetchall()]


@contextmanager
def bulk_mode(models: Sequence[Any], say: Any) -> Iterator[None]:
    from django.db import connection

    dropped: list[tuple[str, str]] = []
    with connection.cursor() as c:
        for model in models:
            for name, sql in _secondary_indexes(model._meta.db_table):
                c.execute(f'DROP INDEX "{name}"')
                dropped.append((name, sql))
        if connection.vendor == "postgresql":
            c.execute("SET session_replication_role = replica")
        else:
            c.execute("PRAGMA foreign_keys = OFF")
            c.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute("SET session_replication_role = DEFAULT")
                c.execute("SET maintenance_work_mem = '512MB'")
            else:
                c.execute("PRAGMA foreign_keys = ON")
            say(f"rebuilding {len(dropped)} indexes")
            for _name, sql in dropped:
                c.execute(sql)
            if connection.vendor == "sqlite":
                c.execute("PRAGMA synchronous = NORMAL")
                c.execute("ANALYZE")
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                c.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load


def reset_sequences(models: Sequence[Any]) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as c:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            c.execute(sql)


def check_orphans(models: Sequence[Any]) -> list[str]:
    """Every foreign key of the loaded tables points at an existing row (one anti-join per
    key); returns the problems found."""
    from django.db import connection

    problems = []
    with connection.cursor() as c:
        for model in models:
            for f in model._meta.concrete_fields:
                if not f.is_relation:
                    continue
                target = f.related_model._meta
                t, col = model._meta.db_table, f.column
                c.execute(
                    f'SELECT COUNT(*) FROM "{t}" x LEFT JOIN "{target.db_table}" y '
                    f'ON y."{target.pk.column}" = x."{col}" '
                    f'WHERE x."{col}" IS NOT NULL AND y."{target.pk.column}" IS NULL'
                )
                n = c.fetchone()[0]
                if n:
                    problems.append(f"{t}.{col}: {n} rows point nowhere")
    return problems


def check_sample(models: Sequence[Any], size: int = 200, seed: int = 7) -> int:
    """``full_clean`` on a sample of each table read back through the ORM (choices,
    lengths, required fields); raises on the first invalid row. Returns rows checked."""
    rng = random.Random(seed)  # noqa: S311 - a sample, not security
    checked = 0
    for model in models:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ids = [rng.randint(1, last) for _ in range(size)] if last else []
        for obj in model.objects.filter(pk__in=ids):
            obj.full_clean(validate_unique=False, validate_constraints=False)
            checked += 1
    return checked
