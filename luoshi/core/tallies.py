"""Counts the database keeps by trigger: the SQL for a tally table and the helpers that read,
fold and rebuild it.

A tally holds, per combination of a few low-cardinality columns of a source table, how many
source rows have it (``n``). Triggers keep it whatever writes the rows: services,
``QuerySet.update`` (the nightly lights pass), bulk inserts, deletes.

SQLite: one row per combination, kept by row triggers with an UPSERT (one writer at a time:
nobody waits). Only changes of the counted columns fire.

PostgreSQL: statement triggers with transition tables append each statement's net change
per combination, so no transaction ever updates a row another one holds (which would
serialise writers on the busiest counts and deadlock two that change counts in opposite
orders); ``fold`` adds the rows up now and then. Like all triggers they stay off under
``session_replication_role = replica`` (bulk loads, the test suite's fast flush): ``rebuild``
recounts after such a load, and every ``migrate`` runs it.

The first tally (the 工作台's task counts, workbench migration 0001) predates this module and
writes the same SQL out in full; ``TallySpec`` serves the ones after it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, transaction

FOLD_AFTER = 5000  # PostgreSQL: unfolded rows before a read folds them


@dataclass(frozen=True)
class TallySpec:
    name: str  # names the triggers and functions
    table: str  # the tally table: the key columns, n (bigint), folded (bool)
    source: str  # the counted table
    keys: tuple[str, ...]  # columns of both tables (NOT NULL in the source)
    lock: int  # advisory lock key of its folder (PostgreSQL)

    @property
    def columns(self) -> str:
        return ", ".join(self.keys)

    def upsert(self, row: str, delta: str) -> str:
        values = ", ".join(f"{row}.{k}" for k in self.keys)
        return (
            f"INSERT INTO {self.table} ({self.columns}, n) VALUES ({values}, {delta}) "
            f"ON CONFLICT ({self.columns}) DO UPDATE SET n = n + {delta};"
        )

    def sqlite(self) -> list[str]:
        changed = " OR ".join(f"old.{k} IS NOT new.{k}" for k in self.keys)
        old, new = self.upsert("old", "-1"), self.upsert("new", "1")
        return [
            f"CREATE UNIQUE INDEX {self.table}_key ON {self.table} ({self.columns})",
            f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.source} BEGIN {new} END",
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.source} BEGIN {old} END",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {self.columns} ON {self.source} "
            f"WHEN {changed} BEGIN {old} {new} END",
        ]

    def sqlite_reverse(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self.name}_{op}" for op in ("insert", "delete", "update")]

    def postgresql(self) -> list[str]:
        cols, t = self.columns, self.table
        fn = f"luoshi_{self.name}"
        body = f"""
        CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO {t} ({cols}, n) SELECT {cols}, COUNT(*) FROM new_rows
                GROUP BY {cols};
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO {t} ({cols}, n) SELECT {cols}, -COUNT(*) FROM old_rows
                GROUP BY {cols};
            ELSE
                INSERT INTO {t} ({cols}, n)
                SELECT {cols}, SUM(d) FROM (
                    SELECT {cols}, -1 AS d FROM old_rows
                    UNION ALL
                    SELECT {cols}, 1 FROM new_rows
                ) AS change
                GROUP BY {cols} HAVING SUM(d) <> 0;
            END IF;
            RETURN NULL;
        END
        $$
        """
        truncate = f"""
        CREATE FUNCTION {fn}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM {t};
            RETURN NULL;
        END
        $$
        """
        on = f"ON {self.source}"
        return [
            body,
            truncate,
            f"CREATE TRIGGER {self.name}_insert AFTER INSERT {on} REFERENCING NEW TABLE AS "
            f"new_rows FOR EACH STATEMENT EXECUTE FUNCTION {fn}()",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE {on} REFERENCING OLD TABLE AS "
            f"old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {fn}()",
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE {on} REFERENCING OLD TABLE AS "
            f"old_rows FOR EACH STATEMENT EXECUTE FUNCTION {fn}()",
            f"CREATE TRIGGER {self.name}_truncate AFTER TRUNCATE {on} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {fn}_truncate()",
        ]

    def postgresql_reverse(self) -> list[str]:
        fn = f"luoshi_{self.name}"
        drops = [f"DROP TRIGGER IF EXISTS {self.name}_{op} ON {self.source}"
                 for op in ("insert", "update", "delete", "truncate")]  # fmt: skip
        return [
            *drops,
            f"DROP FUNCTION IF EXISTS {fn}()",
            f"DROP FUNCTION IF EXISTS {fn}_truncate()",
        ]

    def rebuild_sql(self) -> list[str]:
        return [
            f"DELETE FROM {self.table}",
            f"INSERT INTO {self.table} ({self.columns}, n) SELECT {self.columns}, COUNT(*) "
            f"FROM {self.source} GROUP BY {self.columns}",
        ]


def install(spec: TallySpec, schema_editor: object) -> None:
    """For a migration's RunPython: the triggers, then the counts of the rows already there."""
    vendor = schema_editor.connection.vendor  # type: ignore[attr-defined]
    sql = {"postgresql": spec.postgresql(), "sqlite": spec.sqlite()}.get(vendor, [])
    for statement in [*sql, *spec.rebuild_sql()] if sql else []:
        schema_editor.execute(statement)  # type: ignore[attr-defined]


def uninstall(spec: TallySpec, schema_editor: object) -> None:
    vendor = schema_editor.connection.vendor  # type: ignore[attr-defined]
    sql = {"postgresql": spec.postgresql_reverse(), "sqlite": spec.sqlite_reverse()}
    for statement in sql.get(vendor, []):
        schema_editor.execute(statement)  # type: ignore[attr-defined]


def rebuild(spec: TallySpec, using: str = "default") -> None:
    """Count every row again. Writers wait meanwhile (PostgreSQL: a SHARE lock on the
    source), so that no change is counted twice or lost."""
    with transaction.atomic(using), connections[using].cursor() as c:
        if connections[using].vendor == "postgresql":
            c.execute(f"LOCK TABLE {spec.source} IN SHARE MODE")
        for statement in spec.rebuild_sql():
            c.execute(statement)


def fold(spec: TallySpec, using: str = "default") -> None:
    """Add up each combination's rows into one (PostgreSQL; SQLite keeps one row each). One
    statement deletes the rows it sums, so changes written meanwhile are neither lost nor
    counted twice; a second folder at the same time skips."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    cols = spec.columns
    with transaction.atomic(using), connection.cursor() as c:
        c.execute("SELECT pg_try_advisory_xact_lock(%s)", [spec.lock])
        if not c.fetchone()[0]:
            return
        c.execute(
            f"WITH gone AS (DELETE FROM {spec.table} RETURNING {cols}, n) "
            f"INSERT INTO {spec.table} ({cols}, n, folded) "
            f"SELECT {cols}, SUM(n), TRUE FROM gone GROUP BY {cols} HAVING SUM(n) <> 0"
        )
