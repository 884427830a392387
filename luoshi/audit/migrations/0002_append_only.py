"""Audit records are append-only in the database itself, not only in the application.

PostgreSQL: a trigger refuses every UPDATE, and every DELETE of a record younger than the
legal minimum of 180 days (the purge only removes older ones). Together with the grants of
``manage.py audit_db_grants`` (the application's role gets no UPDATE, DELETE or TRUNCATE on
the table), the application cannot rewrite history even if it wanted to.

SQLite (single-machine demo): a trigger refuses UPDATE. DELETE stays possible because the
test suite empties tables between tests with DELETE; verification still catches it.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_record_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '审计记录不可修改（audit records are append-only）';
    END IF;
    IF OLD.at > now() - interval '180 days' THEN
        RAISE EXCEPTION '审计记录保存未满 180 天，不可删除';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_record_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_record_guard();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_record_guard();
"""
SQLITE_UP = """
CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_auditrecord
BEGIN
    SELECT RAISE(ABORT, '审计记录不可修改（audit records are append-only）');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_record_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
