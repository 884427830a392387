from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


@contextmanager
def guard_lifted():
    """Lift the append-only trigger inside the test's transaction, as an attacker with the
    database owner's rights could; the rollback at the end of the test restores it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_record_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_record_no_update")
    yield
