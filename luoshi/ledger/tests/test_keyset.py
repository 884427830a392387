"""Keyset pagination walks every matter exactly once, in order, for every sort."""

from datetime import date

import pytest

from luoshi.ledger import filters
from luoshi.ledger.models import Matter
from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(users, units, now):
    titles = ["甲", "乙", "丙", "丁", "戊", "己", "庚"]
    for i, title in enumerate(titles):
        m = make_matter(users, units, title=title)
        # Ties on purpose (two share a date) and one long-term matter with no deadline.
        due = None if i == 3 else date(2026, 12, 1 + min(i, 4))
        Matter.objects.filter(pk=m.pk).update(due_date=due, number=f"督〔2026〕{7 - i:04d}号")
    return Matter.objects.all()


@pytest.mark.parametrize("sort", sorted(filters.SORTS))
def test_it_walks_all_pages_in_order(seven, sort) -> None:
    expected = [m.pk for m in filters.ordered(Matter.objects.all(), sort)]
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        page = filters.keyset_page(Matter.objects.all(), sort, cursor, 3)
        seen += [m.pk for m in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected
    assert len(seen) == 7


def test_it_ignores_a_garbled_cursor(seven) -> None:
    page = filters.keyset_page(Matter.objects.all(), "", "not-a-cursor!", 3)
    assert page.is_first
    assert len(page.rows) == 3


def test_the_ledger_page_links_to_the_next_page(client, users, seven, monkeypatch) -> None:
    monkeypatch.setattr("luoshi.ledger.views.PAGE_SIZE", 3)
    client.force_login(users["office"])
    body = client.get("/ledger/", {"sort": "due_date"}).content.decode()
    assert body.count("data-matter=") == 3
    link = body.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/ledger/" + link).content.decode()
    assert second.count("data-matter=") == 3
    assert "第一页" in second
