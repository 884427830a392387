"""Proof that a refused request changed nothing: no INSERT, UPDATE or DELETE reached the
database (except the session and the audit log, which record the refusal), and the row
counts, latest ``updated_at`` and sum of ``version`` of every table are what they were."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

WRITE_SQL = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.I)
# A refusal is recorded (audit), and the session may be touched (idle timeout, messages).
RECORDING_TABLES = ("django_session", "audit_")


@cache
def _fingerprint_sql() -> str:
    parts = []
    for model in apps.get_models():
        if not model.__module__.startswith("luoshi.") or model._meta.app_label == "audit":
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        names = {f.name for f in model._meta.concrete_fields}
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - table names from models
        if "updated_at" in names:
            parts.append(f"(SELECT MAX(updated_at) FROM {table})")  # noqa: S608
        if "version" in names:
            parts.append(f"(SELECT SUM(version) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def fingerprint() -> tuple[object, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        row = cursor.fetchone()
    return tuple(row or ())


@contextmanager
def unchanged(label: str) -> Iterator[None]:
    before = fingerprint()
    with CaptureQueriesContext(connection) as ctx:
        yield
    writes = []
    for query in ctx.captured_queries:
        m = WRITE_SQL.match(query["sql"])
        if m and not m.group(1).startswith(RECORDING_TABLES):
            writes.append(query["sql"][:160])
    assert not writes, f"{label}: a refused request wrote to the database: {writes}"
    assert fingerprint() == before, f"{label}: a refused request changed rows"
