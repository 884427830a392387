"""Keyword search: index-served, with exactly the rows that ``icontains`` finds."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from luoshi.accounts.models import User
from luoshi.ledger import filters, search
from luoshi.ledger.models import Matter
from luoshi.org.models import Unit

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 path")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL path")

# (title, content, number): Chinese, full-width and ASCII punctuation, quotes, digits,
# mixed case, LIKE wildcards, text that reads as an XML tag, and a one-character title.
ROWS = [
    ("关于加强安全生产工作的通知", "各单位要压实安全生产责任。", "督〔2026〕0001号"),
    ("推进“一网通办”改革", "优化营商环境，提升政务服务效能", "督〔2026〕0002号"),
    ("Smart City 建设", "5G基站 建设 ABC-123，iPhone 适配", "SC-2026-07"),
    ("乡村振兴", "高标准农田1.5万亩", ""),
    ("安全", "生产", "X"),  # "安全生产" only across two columns: no match
    ("<a>标签</a>", "——破折号——", "（一）"),
    ('含"引号"的标题', "完成率100%_以上", "a\\b"),
    ("ＡＢＣ全角字母", "abc 半角字母", ""),
    ("安", "。", ""),
    ("关于“安全生产月”活动", "开展安全生产月活动。", "督〔2025〕0123号"),
]
# fmt: off
KEYWORDS = [
    # 1, 2, 3 and 4 characters and longer
    "安", "。", "X", "安全", "全生", "生产", "〔2", "5G", "安全生", "一网通", "全生产月",
    "安全生产", "一网通办", "“一网通办”", "通办”改", "乡村振兴", "督〔2026〕", "2026",
    "0001", "0123号", "〔2025〕0123", "1.5万", "1.5万亩",
    # ASCII and case
    "smart", "SMART CITY", "city 建", "abc", "ABC-123", "iphone", "Ａｂｃ", "ａｂｃ",
    # punctuation, quotes, wildcards, XML-looking text
    "——", "——破", "（一）", "<a", "<a>", "</a>", '"引号"', '含"', "100%", "0%_", "%", "_",
    "a\\b", "\\", "，提升", "生产。", "营商 环境",
    # spans the title and the content of one row: today's search does not match it
    "安全生产工作的通知各单位", "全生产", "建设5G",
    "不存在的关键词",
]
# fmt: on


@pytest.fixture
def office(db: None) -> tuple[Unit, User]:
    unit = Unit.objects.create(name="检索测试督查室", kind="office")
    user = User.objects.create(username="search_office", name="检索", unit=unit)
    return unit, user


def add(office: tuple[Unit, User], rows: list[tuple[str, str, str]]) -> list[Matter]:
    unit, user = office
    return Matter.objects.bulk_create(
        Matter(office=unit, year=2026, title=title, content=content, number=number,
               source="meeting", category="decision", created_by=user)
        for title, content, number in rows
    )  # fmt: skip


def found(keyword: str) -> set[str]:
    return set(search.filter_keyword(Matter.objects.all(), keyword).values_list("title", flat=True))


def by_icontains(keyword: str) -> set[str]:
    return set(Matter.objects.filter(search.icontains_q(keyword)).values_list("title", flat=True))


@pytest.fixture
def ledger(office: tuple[Unit, User]) -> list[Matter]:
    return add(office, ROWS)


def test_it_finds_exactly_what_icontains_finds(ledger: list[Matter]) -> None:
    for keyword in KEYWORDS:
        index_only = set(
            Matter.objects.filter(search.index_q(keyword, connection.vendor)).values_list(
                "title", flat=True
            )
        )
        expected = by_icontains(keyword)
        assert found(keyword) == expected, keyword
        assert index_only >= expected, keyword


def test_it_keeps_the_columns_apart_and_ignores_ascii_case(ledger: list[Matter]) -> None:
    assert found("安全生产") == {"关于加强安全生产工作的通知", "关于“安全生产月”活动"}
    assert found("全生") == {"关于加强安全生产工作的通知", "关于“安全生产月”活动"}
    assert found("SMART city") == {"Smart City 建设"}
    assert found("“一网通办”") == {"推进“一网通办”改革"}
    assert found("——") == {"<a>标签</a>"}
    assert found("<a") == {"<a>标签</a>"}
    assert found("安全生产工作的通知各单位") == set()


def test_it_searches_the_same_way_through_the_ledger_filters(ledger: list[Matter]) -> None:
    qs = filters.apply_filters(Matter.objects.all(), {"q": "  一网通办 "})
    assert [m.title for m in qs] == ["推进“一网通办”改革"]


def test_it_follows_inserts_updates_and_deletes(office: tuple[Unit, User]) -> None:
    first, second, third = add(
        office,
        [("城市更新行动", "老旧小区改造", "督〔2026〕0301号"),
         ("河长制", "水环境治理", "督〔2026〕0302号"),
         ("营商环境", "一网通办", "督〔2026〕0303号")],
    )  # fmt: skip
    assert found("老旧小区") == {"城市更新行动"}

    Matter.objects.filter(pk=first.pk).update(content="背街小巷整治")
    assert found("老旧小区") == set()
    assert found("背街小巷") == {"城市更新行动"}

    second.title = "河湖长制"
    second.save()
    assert found("河长制") == set()
    assert found("河湖长制") == {"河湖长制"}

    Matter.objects.filter(pk=third.pk).update(number="督〔2026〕0999号", light="red")
    assert found("0303") == set()
    assert found("0999号") == {"营商环境"}

    Matter.objects.filter(pk=second.pk).delete()
    assert found("河湖长制") == set()
    assert found("环境") == {"营商环境"}

    add(office, [("河湖长制", "再次立项", "")])
    assert found("河湖长制") == {"河湖长制"}
    assert found("再次立项") == {"河湖长制"}


@on_sqlite
def test_it_keeps_the_fts_table_in_step(office: tuple[Unit, User]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_matter'"
        )
        triggers = {row[0] for row in cursor.fetchall()}
    # Lost when a migration rebuilds ledger_matter on SQLite: see migration 0004.
    assert triggers >= {"ledger_matter_fts_insert", "ledger_matter_fts_update",
                        "ledger_matter_fts_delete"}  # fmt: skip
    matters = add(office, ROWS)
    Matter.objects.filter(pk=matters[0].pk).update(title="改过的标题")
    Matter.objects.filter(pk=matters[1].pk).delete()
    with connection.cursor() as cursor:
        # Compares the index with ledger_matter's rows; raises if they differ.
        cursor.execute(
            f"INSERT INTO {search.FTS_TABLE} ({search.FTS_TABLE}, rank) "  # noqa: S608
            "VALUES ('integrity-check', 1)"
        )


def plan(qs: Any) -> str:
    return str(qs.order_by().explain())


@on_sqlite
def test_it_serves_three_characters_and_more_from_fts5_on_sqlite(ledger: list[Matter]) -> None:
    for keyword in ("安全生", "安全生产", "SMART"):
        assert "VIRTUAL TABLE" in plan(search.filter_keyword(Matter.objects.all(), keyword))
    # Shorter than a trigram: icontains alone.
    assert search.FTS_TABLE not in plan(search.filter_keyword(Matter.objects.all(), "安全"))


@on_postgresql
def test_it_serves_two_characters_and_more_from_the_gin_index_on_postgresql(
    ledger: list[Matter],
) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The table is tiny; in a province's ledger the planner picks the index itself.
            cursor.execute("SET LOCAL enable_seqscan = off")
        for keyword in ("安全", "安全生产", "督〔2026〕"):
            text = plan(search.filter_keyword(Matter.objects.all(), keyword))
            assert "Bitmap Index Scan on ledger_matter_keyword_gin" in text, text
