"""Indexes for the ledger's keyword search (luoshi/ledger/search.py), one per database.

PostgreSQL: a GIN index over the overlapping two-character grams of title, content and
number. The grams are a plain text[] (no text-search parser): the parser drops
punctuation-only words and reads ``<a a>`` as an XML tag, so a tsquery built from the
keyword could miss rows that ``icontains`` finds; an array of the upper-cased text's
grams (the same ``upper()`` Django's ``icontains`` compares with) cannot.

SQLite: an FTS5 trigram table over the same columns, reading its text from ledger_matter
(external content) and kept in step by triggers, so bulk_create, ``.update()`` and
deletes need no Python code.

A later migration that makes Django rebuild ledger_matter on SQLite (most AlterField and
RemoveField operations do: new table, copy, drop, rename) drops these triggers with the
old table; it must run ``SQLITE_TRIGGERS`` again and rebuild the FTS table.
test_search.py fails until it does.
"""

from django.db import migrations

PG_FORWARD = [
    # IMMUTABLE so that it may serve in an index; it only calls built-ins, which keeps it
    # valid under pg_restore's empty search_path. string_to_array(…, NULL) splits into
    # characters in one pass; zipping the array with itself shifted by one gives the grams
    # without substr(), which is quadratic on long multibyte text.
    """
    CREATE FUNCTION luoshi_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE WHEN cardinality(c) < 2 THEN c
               ELSE ARRAY(SELECT a || b FROM unnest(c[:cardinality(c) - 1], c[2:]) AS g(a, b))
               END
        FROM (SELECT string_to_array(upper(t), NULL) AS c) AS s
    $$
    """,
    """
    CREATE INDEX ledger_matter_keyword_gin ON ledger_matter USING gin (
        (luoshi_bigrams(title) || luoshi_bigrams(content) || luoshi_bigrams(number))
    )
    """,
]
PG_REVERSE = [
    "DROP INDEX IF EXISTS ledger_matter_keyword_gin",
    "DROP FUNCTION IF EXISTS luoshi_bigrams(text)",
]

SQLITE_TABLE = [
    # columnsize=0: no per-row sizes, which only ranking (bm25) would read.
    """
    CREATE VIRTUAL TABLE ledger_matter_fts USING fts5(
        title, content, number,
        content='ledger_matter', content_rowid='id', tokenize='trigram', columnsize=0
    )
    """,
]
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER ledger_matter_fts_insert AFTER INSERT ON ledger_matter BEGIN
        INSERT INTO ledger_matter_fts (rowid, title, content, number)
        VALUES (new.id, new.title, new.content, new.number);
    END
    """,
    """
    CREATE TRIGGER ledger_matter_fts_delete AFTER DELETE ON ledger_matter BEGIN
        INSERT INTO ledger_matter_fts (ledger_matter_fts, rowid, title, content, number)
        VALUES ('delete', old.id, old.title, old.content, old.number);
    END
    """,
    # Only when a searched column really changes: save() writes every column, and the
    # daily sweep updates lights and dates of many rows.
    """
    CREATE TRIGGER ledger_matter_fts_update AFTER UPDATE OF id, title, content, number
    ON ledger_matter
    WHEN old.id IS NOT new.id OR old.title IS NOT new.title
        OR old.content IS NOT new.content OR old.number IS NOT new.number
    BEGIN
        INSERT INTO ledger_matter_fts (ledger_matter_fts, rowid, title, content, number)
        VALUES ('delete', old.id, old.title, old.content, old.number);
        INSERT INTO ledger_matter_fts (rowid, title, content, number)
        VALUES (new.id, new.title, new.content, new.number);
    END
    """,
]
SQLITE_REBUILD = ["INSERT INTO ledger_matter_fts (ledger_matter_fts) VALUES ('rebuild')"]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS ledger_matter_fts_insert",
    "DROP TRIGGER IF EXISTS ledger_matter_fts_delete",
    "DROP TRIGGER IF EXISTS ledger_matter_fts_update",
    "DROP TABLE IF EXISTS ledger_matter_fts",
]


def _run(schema_editor, by_vendor):
    for sql in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(
        schema_editor,
        {"postgresql": PG_FORWARD, "sqlite": SQLITE_TABLE + SQLITE_TRIGGERS + SQLITE_REBUILD},
    )


def reverse(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_next_remind_on"),
    ]

    operations = [
        migrations.RunPython(forward, reverse, elidable=False),
    ]
