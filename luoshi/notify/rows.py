"""Many new rows in few statements: the daily sweep's reminders and digests (tens of
thousands a morning).

``bulk_create`` on PostgreSQL sends rows as arrays (``UNNEST``) that psycopg quotes element
by element in Python, which is slow for text full of quotes: about 1 ms a row for a
digest's JSON lines (3.6 s for 2,800 digests). ``insert`` sends each batch of rows as one
JSON document, expanded by the database (``jsonb_to_recordset`` / SQLite's ``json_each``):
one parameter a statement, encoded and parsed in C. Values are prepared by their fields
as ``save()`` prepares them (strings, integers, booleans and None are taken as they are).
Nothing comes back: no primary keys, no model instances, and (as with ``bulk_create``) no
``post_save`` signals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

ROWS_PER_STATEMENT = 2000
# Values every field of these types stores as they are (a JSON field excepted).
PLAIN = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"cannot insert a {type(value).__name__} through JSON")


def _statement(
    conn: Any, model: type[models.Model], fields: list[Any], ignore_conflicts: bool
) -> str:
    # Only quoted names and types from the model's own definition go into the text; the
    # values are the one parameter.
    qn = conn.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    if conn.vendor == "postgresql":
        types = ", ".join(f"c{i} {f.db_type(conn)}" for i, f in enumerate(fields))
        names = ", ".join(f"c{i}" for i in range(len(fields)))
        sql = (f"INSERT INTO {table} ({columns}) SELECT {names} "  # noqa: S608
               f"FROM jsonb_to_recordset(%s::jsonb) AS r({types})")  # fmt: skip
    else:
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(fields)))
        # "WHERE true": SQLite would otherwise read ON CONFLICT as a join's ON.
        sql = (f"INSERT INTO {table} ({columns}) SELECT {values} "  # noqa: S608
               "FROM json_each(%s) WHERE true")  # fmt: skip
    return sql + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")


def insert(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, ignore_conflicts: bool = False
) -> int:
    """Insert ``rows`` (values by attribute name, e.g. ``user_id``; a missing field takes its
    default, and ``auto_now``/``auto_now_add`` fields the time of the call, as ``save()``
    would). With ``ignore_conflicts`` a row whose unique key exists is skipped. Returns the
    rows inserted."""
    conn = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is read for every value
    postgres = conn.vendor == "postgresql"
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False)
               or getattr(f, "auto_now_add", False)}  # fmt: skip
    # A JSON field's value goes into the document as JSON (PostgreSQL reads it as jsonb);
    # SQLite stores JSON as text, which is what its field prepares.
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    as_is = json_fields if postgres else set()

    def prepare(f: Any, value: Any) -> Any:
        if f.attname in as_is:
            return value
        if type(value) in PLAIN and f.attname not in json_fields:
            return value  # what the field would prepare it to
        return f.get_db_prep_save(value, conn)

    # Defaults and timestamps are the same for every row: prepared once.
    fixed = {f.attname: prepare(f, now if f.attname in stamped else f.get_default())
             for f in fields}  # fmt: skip
    sql = _statement(conn, model, fields, ignore_conflicts)
    inserted = 0
    batch: list[dict[str, Any] | list[Any]] = []

    def send() -> int:
        with conn.cursor() as cursor:
            cursor.execute(sql, [json.dumps(batch, ensure_ascii=False, default=_plain)])
            return cursor.rowcount

    for row in rows:
        values = [
            prepare(f, row[f.attname])
            if f.attname in row and f.attname not in stamped
            else fixed[f.attname]
            for f in fields
        ]
        batch.append({f"c{i}": v for i, v in enumerate(values)} if postgres else values)
        if len(batch) == ROWS_PER_STATEMENT:
            inserted += send()
            batch = []
    if batch:
        inserted += send()
    return inserted
