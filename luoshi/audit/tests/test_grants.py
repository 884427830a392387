"""On PostgreSQL the application's role can add and read audit records, nothing more."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from luoshi.audit.events import Event
from luoshi.audit.services import audit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles"),
]


def _as_app_role(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE luoshi_app_test")
        cursor.execute(sql)


def test_the_application_role_cannot_update_delete_or_truncate_audit_records(now):
    rec = audit(Event.WRITE, detail="原始记录")
    assert rec is not None
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE luoshi_app_test NOLOGIN")
    call_command("audit_db_grants", "luoshi_app_test")

    _as_app_role("SELECT count(*) FROM audit_auditrecord")
    _as_app_role("UPDATE accounts_user SET name = name WHERE id = -1")  # business tables: yes
    for sql in (
        f"UPDATE audit_auditrecord SET detail = 'x' WHERE id = {int(rec.pk)}",  # noqa: S608
        f"DELETE FROM audit_auditrecord WHERE id = {int(rec.pk)}",  # noqa: S608
        "TRUNCATE audit_auditrecord",
    ):
        with pytest.raises(DatabaseError, match="permission denied"):
            _as_app_role(sql)
    rec.refresh_from_db()
    assert rec.detail == "原始记录"
