"""Emptying the database after a transactional test (live server) faster than Django's flush.

Django's flush after each transactional test empties every table, on PostgreSQL with one
TRUNCATE of them all (a new file per table and index: ~0.3 s), and the post_migrate signal
then creates the content types and permissions again (~0.3 s more). Here the rows are
deleted instead (PostgreSQL: with triggers off, as TRUNCATE skips the audit log's
append-only trigger), except the content types and permissions: only post_migrate writes
them, and it still runs, so it finds them there and every other receiver runs as before.
If their fingerprint ever changes, or a test asks for a flush option, Django's flush runs.
"""

from __future__ import annotations

from typing import Any

KEPT = ("django_content_type", "auth_permission")

_django_teardown: Any = None
_fingerprints: dict[str, tuple[Any, ...]] = {}
_unavailable: set[str] = set()


def _fingerprint(cursor: Any) -> tuple[Any, ...]:
    cursor.execute(
        "SELECT (SELECT COUNT(*) FROM django_content_type), (SELECT MAX(id) FROM "
        "django_content_type), (SELECT COUNT(*) FROM auth_permission), (SELECT MAX(id) FROM "
        "auth_permission)"
    )
    return tuple(cursor.fetchone())


def _empty(alias: str) -> bool:
    """Empty every table but the kept ones; False when Django's flush must do it."""
    from django.core.management.color import no_style
    from django.db import connections, transaction

    connection = connections[alias]
    if alias in _unavailable or connection.vendor not in ("postgresql", "sqlite"):
        return False
    names = connection.introspection.django_table_names(only_existing=True, include_views=False)
    tables = [t for t in names if t not in KEPT]
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            seen = _fingerprint(cursor)
            if _fingerprints.setdefault(alias, seen) != seen:
                del _fingerprints[alias]
                transaction.set_rollback(True, using=alias)
                return False
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
                for table in tables:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - model tables
            else:
                for sql in connection.ops.sql_flush(no_style(), tables):
                    cursor.execute(sql)
    except Exception:  # e.g. a role that may not turn triggers off: use Django's flush
        _unavailable.add(alias)
        return False
    return True


def _fixture_teardown(self: Any) -> None:
    from django.core.management import call_command

    if self.available_apps is not None or self.serialized_rollback or self.reset_sequences:
        return _django_teardown(self)
    from django.core.management.sql import emit_post_migrate_signal

    for alias in self._databases_names(include_mirrors=False):
        if _empty(alias):
            emit_post_migrate_signal(verbosity=0, interactive=False, db=alias)
        else:  # Django's flush of this database, as Django would do it
            call_command(
                "flush", verbosity=0, interactive=False, database=alias,
                reset_sequences=False, allow_cascade=False, inhibit_post_migrate=False,
            )  # fmt: skip
    return None


def install() -> None:
    global _django_teardown
    from django.test import TransactionTestCase

    if _django_teardown is None:
        _django_teardown = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]
        TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[attr-defined]


def uninstall() -> None:
    global _django_teardown
    from django.test import TransactionTestCase

    if _django_teardown is not None:
        TransactionTestCase._fixture_teardown = _django_teardown  # type: ignore[attr-defined]
        _django_teardown = None
