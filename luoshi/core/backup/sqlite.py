"""SQLite: copies through SQLite's own backup API on Django's live connection.

Using the live connection (not the file name) makes the same code work for the file in
production and for the in-memory database of the test suite, and the copy is one
consistent snapshot even while web workers and loops keep writing (WAL mode).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from luoshi.core.backup.manifest import database_state


def dump(connection: Any, dest: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Copy the database to ``dest``; return the migration state and row counts of the
    copy itself, so the manifest describes exactly what was archived."""
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)
        # One self-contained file in the archive, without a -wal beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        return database_state(target.cursor(), "sqlite")
    finally:
        target.close()


def load(connection: Any, source: Path) -> None:
    """Replace the live database's content with ``source``, page by page, in one step."""
    # Drop a connection that may hold a stale read snapshot; Django ignores the close for
    # an in-memory database (closing would destroy it), which is what the tests need.
    connection.close()
    connection.ensure_connection()
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.backup(connection.connection)
    finally:
        src.close()
