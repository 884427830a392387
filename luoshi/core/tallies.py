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

The 工作台's task counts (workbench migration 0001) predate this module: that migration
writes its triggers out in full, and its runtime (read, fold, rebuild) is this module's.
The ledger's matter counts are installed from here (ledger migration 0010)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, Q, QuerySet, Sum

FOLD_AFTER = 5000  # PostgreSQL: unfolded rows before a read folds them


@dataclass(frozen=True)
class TallySpec:
    name: str  # names the triggers and functions
    table: str  # the tally table: the key columns, n (bigint), folded (bool)
    source: str  # the counted table
    keys: tuple[str, ...]  # the tally's columns, named as in the source
    lock: int  # advisory lock key of its folder (PostgreSQL)
    # A key's value from a source row where it is not the column itself, as a template
    # for the column: a nullable column's "COALESCE({}, 0)" (the tally's are NOT NULL).
    exprs: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> str:
        return ", ".join(self.keys)

    def select(self, row: str = "") -> str:
        """The keys' values from a source row (``row.`` prefixed, for a trigger's row)."""
        exprs = dict(self.exprs)
        prefix = f"{row}." if row else ""
        return ", ".join(exprs.get(k, "{}").format(prefix + k) for k in self.keys)

    def upsert(self, row: str, delta: str) -> str:
        values = self.select(row)
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
        cols, t, sel = self.columns, self.table, self.select()
        fn = f"luoshi_{self.name}"
        body = f"""
        CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO {t} ({cols}, n) SELECT {sel}, COUNT(*) FROM new_rows
                GROUP BY {sel};
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO {t} ({cols}, n) SELECT {sel}, -COUNT(*) FROM old_rows
                GROUP BY {sel};
            ELSE
                INSERT INTO {t} ({cols}, n)
                SELECT {cols}, SUM(d) FROM (
                    SELECT {sel}, -1 AS d FROM old_rows
                    UNION ALL
                    SELECT {sel}, 1 FROM new_rows
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
            f"INSERT INTO {self.table} ({self.columns}, n) SELECT {self.select()}, COUNT(*) "
            f"FROM {self.source} GROUP BY {self.select()}",
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


def sums(spec: TallySpec, tallies: QuerySet[Any], *group: str) -> list[tuple[Any, ...]]:
    """(*group values, count) from ``tallies`` (a filtered queryset of the tally model),
    leaving out combinations that add up to nothing; folds the table (PostgreSQL) once it
    holds more than ``FOLD_AFTER`` unfolded rows, so that reading stays a short scan."""
    rows = (
        tallies.order_by()
        .values_list(*group)
        .annotate(total=Sum("n"), loose=Count("id", filter=Q(folded=False)))
    )
    found, loose = [], 0
    for *values, total, n_loose in rows:
        loose += n_loose
        if total:
            found.append((*values, int(total)))
    if loose > FOLD_AFTER:
        fold(spec)
    return found


def recount_after_migrate(spec: TallySpec, using: str) -> None:
    """For a ``post_migrate`` receiver: every ``migrate`` recounts, as a load with triggers
    off (bench/bulk.py loads so) may have happened since."""
    tables = connections[using].introspection.table_names()
    if spec.table in tables and spec.source in tables:
        rebuild(spec, using)
