"""Task counts kept by triggers on ledger_assignment (``luoshi.workbench.tally``).

SQLite: one row per (lead unit, status, light), kept by row triggers with an UPSERT (one
writer at a time: nobody waits). Only changes of those three columns fire.

PostgreSQL: statement triggers with transition tables append each statement's net change
per (lead unit, status, light): the nightly lights pass (one UPDATE of thousands of rows)
writes a handful of rows, and no transaction ever updates a row another one holds, which
would serialise writers on the busiest counts and deadlock two that change counts in
opposite orders. ``tally.fold`` adds the rows up. Like ordinary triggers they stay off under
``session_replication_role = replica`` (bulk loads; the test suite's fast flush, which
empties this table too): ``tally.rebuild`` recounts after such a load, and every
``migrate`` runs it.

A later migration that makes Django rebuild ledger_assignment on SQLite (most AlterField
and RemoveField operations: new table, copy, drop, rename) drops the SQLite triggers with
the old table; it must run ``SQLITE`` again. test_tally.py fails until it does.
"""

from django.db import migrations, models

REBUILD = [
    "DELETE FROM workbench_tasktally",
    "INSERT INTO workbench_tasktally (lead_unit_id, status, light, n) SELECT "
    "COALESCE(lead_unit_id, 0), status, light, COUNT(*) FROM ledger_assignment GROUP BY 1, 2, 3",
]
# The row triggers' statement, for the old or the new row: %(row)s and %(delta)s.
UPSERT = (
    "INSERT INTO workbench_tasktally (lead_unit_id, status, light, n) VALUES "
    "(COALESCE(%(row)s.lead_unit_id, 0), %(row)s.status, %(row)s.light, %(delta)s) "
    "ON CONFLICT (lead_unit_id, status, light) DO UPDATE SET n = n + %(delta)s;"
)
OLD = UPSERT % {"row": "old", "delta": "-1"}
NEW = UPSERT % {"row": "new", "delta": "1"}


SQLITE = [
    "CREATE UNIQUE INDEX workbench_tasktally_key ON workbench_tasktally "
    "(lead_unit_id, status, light)",
    "CREATE TRIGGER workbench_tally_insert AFTER INSERT ON ledger_assignment BEGIN " + NEW + " END",
    "CREATE TRIGGER workbench_tally_delete AFTER DELETE ON ledger_assignment BEGIN " + OLD + " END",
    "CREATE TRIGGER workbench_tally_update AFTER UPDATE OF lead_unit_id, status, light "
    "ON ledger_assignment WHEN old.lead_unit_id IS NOT new.lead_unit_id "
    "OR old.status IS NOT new.status OR old.light IS NOT new.light BEGIN "
    + OLD
    + " "
    + NEW
    + " END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS workbench_tally_insert",
    "DROP TRIGGER IF EXISTS workbench_tally_delete",
    "DROP TRIGGER IF EXISTS workbench_tally_update",
]

PG = [
    """
    CREATE FUNCTION luoshi_task_tally() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO workbench_tasktally (lead_unit_id, status, light, n)
            SELECT COALESCE(lead_unit_id, 0), status, light, COUNT(*) FROM new_rows
            GROUP BY 1, 2, 3;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO workbench_tasktally (lead_unit_id, status, light, n)
            SELECT COALESCE(lead_unit_id, 0), status, light, -COUNT(*) FROM old_rows
            GROUP BY 1, 2, 3;
        ELSE
            INSERT INTO workbench_tasktally (lead_unit_id, status, light, n)
            SELECT u, s, l, SUM(d) FROM (
                SELECT COALESCE(lead_unit_id, 0) AS u, status AS s, light AS l, -1 AS d
                FROM old_rows
                UNION ALL
                SELECT COALESCE(lead_unit_id, 0), status, light, 1 FROM new_rows
            ) AS change
            GROUP BY 1, 2, 3 HAVING SUM(d) <> 0;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION luoshi_task_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM workbench_tasktally;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER workbench_tally_insert AFTER INSERT ON ledger_assignment "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luoshi_task_tally()",
    "CREATE TRIGGER workbench_tally_update AFTER UPDATE ON ledger_assignment "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION luoshi_task_tally()",
    "CREATE TRIGGER workbench_tally_delete AFTER DELETE ON ledger_assignment "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION luoshi_task_tally()",
    "CREATE TRIGGER workbench_tally_truncate AFTER TRUNCATE ON ledger_assignment "
    "FOR EACH STATEMENT EXECUTE FUNCTION luoshi_task_tally_truncate()",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS workbench_tally_insert ON ledger_assignment",
    "DROP TRIGGER IF EXISTS workbench_tally_update ON ledger_assignment",
    "DROP TRIGGER IF EXISTS workbench_tally_delete ON ledger_assignment",
    "DROP TRIGGER IF EXISTS workbench_tally_truncate ON ledger_assignment",
    "DROP FUNCTION IF EXISTS luoshi_task_tally()",
    "DROP FUNCTION IF EXISTS luoshi_task_tally_truncate()",
]


def _run(schema_editor, by_vendor):
    for sql in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG + REBUILD, "sqlite": SQLITE + REBUILD})


def reverse(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ledger", "0007_unit_list_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),  # fmt: skip
                ("lead_unit_id", models.IntegerField(default=0, verbose_name="牵头单位")),
                ("status", models.CharField(max_length=24, verbose_name="状态")),
                ("light", models.CharField(blank=True, max_length=8, verbose_name="亮灯")),
                ("n", models.BigIntegerField(verbose_name="任务数")),
                ("folded", models.BooleanField(db_default=False, verbose_name="已归并")),
            ],
            options={"verbose_name": "任务计数", "verbose_name_plural": "任务计数"},
        ),
        migrations.RunPython(forward, reverse, elidable=False),
    ]
