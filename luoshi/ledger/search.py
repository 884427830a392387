"""The ledger's keyword search (标题、内容、编号), served by an index on both databases.

The result is exactly that of ``icontains`` on each of the three columns: the index
condition only narrows the rows, and the ``icontains`` condition stays as the exact
recheck. The indexes are made by migration 0004_matter_search, which says why they are
built as they are.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from luoshi.ledger.models import Matter

COLUMNS = ("title", "content", "number")
FTS_TABLE = "ledger_matter_fts"
FTS_ROWIDS = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
# The shortest keyword each index can serve: one two-character gram on PostgreSQL, one
# trigram in SQLite's FTS5 (it matches nothing with fewer than three characters).
PG_MIN_LENGTH = 2
SQLITE_MIN_LENGTH = 3


def filter_keyword(qs: QuerySet[Matter], keyword: str) -> QuerySet[Matter]:
    """Matters whose title, content or number contains ``keyword``, ignoring case."""
    vendor = connections[qs.db].vendor
    return qs.filter(index_q(keyword, vendor), icontains_q(keyword))


def icontains_q(keyword: str) -> Q:
    # Each column on its own: a keyword that runs from the title into the content does not
    # match, and the indexes keep the columns apart in the same way.
    q = Q()
    for column in COLUMNS:
        q |= Q(**{f"{column}__icontains": keyword})
    return q


def index_q(keyword: str, vendor: str) -> Q:
    """A condition the index answers, true for every row that ``icontains_q`` keeps.

    Shorter keywords than an index can serve get no condition here: the search falls back
    to ``icontains`` alone, a full scan, which suits a one- or two-character keyword that
    matches a large share of the ledger anyway.
    """
    if vendor == "postgresql" and len(keyword) >= PG_MIN_LENGTH:
        return Q(bigrams_contain(keyword))
    if vendor == "sqlite" and len(keyword) >= SQLITE_MIN_LENGTH:
        # Constant SQL; the keyword goes in as a parameter.
        return Q(pk__in=RawSQL(FTS_ROWIDS, [fts_phrase(keyword)]))  # noqa: S611
    return Q()


def fts_phrase(keyword: str) -> str:
    """The keyword as one FTS5 string: everything between double quotes is literal text
    (a double quote is written twice), which the trigram tokenizer matches as a substring
    of one column, ignoring case."""
    return '"' + keyword.replace('"', '""') + '"'


class Bigrams(Func):
    """``luoshi_bigrams(text) → text[]``, the function migration 0004 creates."""

    function = "luoshi_bigrams"


def bigrams_contain(keyword: str) -> Func:
    """``(luoshi_bigrams(title) || … ) @> luoshi_bigrams(keyword)`` on PostgreSQL.

    The left side is the GIN index's expression, written the same way so that the planner
    matches it. Every gram of ``upper(keyword)`` is a gram of ``upper(column)`` when the
    column contains the keyword the way ``icontains`` (``UPPER(col) LIKE UPPER(%kw%)``)
    sees it, so no true match is lost.
    """
    indexed = Func(*(Bigrams(F(c)) for c in COLUMNS), template="(%(expressions)s)",
                   arg_joiner=" || ")  # fmt: skip
    return Func(indexed, Bigrams(Value(keyword)), template="%(expressions)s",
                arg_joiner=" @> ", output_field=BooleanField())  # fmt: skip
